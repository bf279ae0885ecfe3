using CommunityBot.Dialogs.Conversation;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using static CommunityBot.Tests.Harness.TicketFlows;

namespace CommunityBot.Tests.Dialogs.Tickets;

/// <summary>
/// Issue 15, item 6: the worker's 办结 can carry a photo that the resident sees, in the message that asks 解决了吗; the
/// ticket keeps it apart from the resident's report photos. In a group tied to a compound and in one that is not.
/// </summary>
public sealed class ClosingPhotoJourneyTests : IDisposable
{
    private const string Photo = "https://files.example.org/closing/lamp.jpg";
    private readonly BotHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task UntiedGroup_CloseWithNoteAndPhoto_TheGroupsClosingQuestionShowsThePhoto()
    {
        await _bot.FileNoiseComplaint("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "办结")
            .AssertReply(r => Assert.Equal($"请填写办结说明（工单 {FirstTicket}），会转告居民；也可以直接发现场照片：", r.Text))
            .Send("已约谈烧烤店，晚十点后停业", attachments: [new InboundAttachment("image/jpeg", Photo)])
            .AssertReply(r => Assert.StartsWith($"工单 {FirstTicket} 已办结", r.Text))
            .InConversation("group-1", group: true)
            .AssertReply(r =>
            {
                Assert.Equal($"您反映的问题（工单 {FirstTicket}）已办结：已约谈烧烤店，晚十点后停业\n问题解决了吗？", r.Text);
                var photo = Assert.Single(r.Attachments);
                Assert.Equal(Photo, photo.Url);
                Assert.StartsWith("image/", photo.ContentType, StringComparison.Ordinal);
                Assert.Equal(["已解决", "没解决"], r.Buttons.Select(b => b.Title));
            })
            .AssertNoReply()
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        Assert.Equal([Photo], ticket.ClosingPhotos);
        Assert.Empty(ticket.Photos); // the resident's report photos are theirs alone
        var closed = Assert.Single(ticket.Events, e => e.Kind == TicketEventKind.Closed);
        Assert.Equal(("已约谈烧烤店，晚十点后停业", FakeDirectory.GridWorker), (closed.Note, closed.Actor));
    }

    [Fact]
    public async Task UntiedGroup_CloseWithNoteThenSkip_OffersTheSkipButtonAndSendsNoPhoto()
    {
        await _bot.FileNoiseComplaint("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "办结")
            .AssertReplyContains("请填写办结说明")
            .Send("已约谈烧烤店")
            .AssertReply(r =>
            {
                Assert.Equal("要附一张办结现场照片吗？居民会看到。发照片，或点「跳过」。", r.Text);
                Assert.Equal(["跳过"], r.Buttons.Select(b => b.Title));
            })
            .Press("跳过")
            .AssertReply(r => Assert.StartsWith($"工单 {FirstTicket} 已办结", r.Text))
            .InConversation("group-1", group: true)
            .AssertReply(r =>
            {
                Assert.Equal($"您反映的问题（工单 {FirstTicket}）已办结：已约谈烧烤店\n问题解决了吗？", r.Text);
                Assert.Empty(r.Attachments);
            })
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        Assert.Empty(ticket.ClosingPhotos);
    }

    [Fact]
    public async Task TiedGroup_PhotoInsteadOfANote_ClosesAndTheGroupIsToldToSeeThePhoto()
    {
        await (await FileLampInTiedGroupAsync())
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "办结")
            .AssertReplyContains("也可以直接发现场照片")
            .Send("", attachments: [new InboundAttachment("image", Photo)])
            .AssertReply(r => Assert.StartsWith($"工单 {FirstTicket} 已办结", r.Text))
            .InConversation("group-1", group: true)
            .AssertReply(r =>
            {
                Assert.Equal($"您反映的问题（工单 {FirstTicket}）已办结，请看办结照片。\n问题解决了吗？", r.Text);
                Assert.Equal([Photo], r.Attachments.Select(a => a.Url));
            })
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal(("xfl", TicketStatus.Resolved), (ticket.CompoundId, ticket.Status));
        Assert.Equal([Photo], ticket.ClosingPhotos);
    }

    [Fact]
    public async Task TiedGroup_NoteThenPhoto_TheGroupGetsThePhotoAndTheNoteWithoutThePhoneNumber()
    {
        await (await FileLampInTiedGroupAsync())
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "办结")
            .AssertReplyContains("请填写办结说明")
            .Send("已换灯泡，有问题打13812345678")
            .AssertReply(r => Assert.StartsWith("要附一张办结现场照片吗", r.Text))
            .Send("", attachments: [new InboundAttachment("image/png", Photo)])
            .AssertReply(r => Assert.StartsWith($"工单 {FirstTicket} 已办结", r.Text))
            .InConversation("group-1", group: true)
            .AssertReply(r =>
            {
                // The note is masked for the group as every worker note is; the photo goes with it.
                Assert.DoesNotContain("13812345678", r.Text, StringComparison.Ordinal);
                Assert.Contains("已换灯泡", r.Text, StringComparison.Ordinal);
                Assert.Equal([Photo], r.Attachments.Select(a => a.Url));
            })
            .RunAsync();

        Assert.Equal([Photo], Assert.Single(_bot.Tickets.All()).ClosingPhotos);
    }

    [Fact]
    public async Task TiedGroup_APhotoThatIsNoWebAddress_IsRefusedClearly_AndTheCloseStillGoesThrough()
    {
        await (await FileLampInTiedGroupAsync())
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "办结")
            .AssertReplyContains("请填写办结说明")
            .Send("", attachments: [new InboundAttachment("image", "javascript:alert(1)")])
            .AssertReply("这张照片没法转给居民（只能转发网络图片），请重新发一张，或直接输入办结说明。")
            .AssertReplyContains("请填写办结说明")
            .Send("已换灯泡")
            .AssertReply(r => Assert.StartsWith("要附一张办结现场照片吗", r.Text))
            .Send("", attachments: [new InboundAttachment("image", "file:///etc/passwd"), new InboundAttachment("application/pdf", "https://files.example.org/report.pdf")])
            .AssertReply("这张照片没法转给居民（只能转发网络图片），请重新发一张，或点「跳过」。")
            .AssertReply(r => Assert.Equal(["跳过"], r.Buttons.Select(b => b.Title)))
            .Press("跳过")
            .AssertReply(r => Assert.StartsWith($"工单 {FirstTicket} 已办结", r.Text))
            .InConversation("group-1", group: true)
            .AssertReply(r =>
            {
                Assert.Contains("已办结：已换灯泡", r.Text, StringComparison.Ordinal);
                Assert.Empty(r.Attachments);
            })
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        Assert.Empty(ticket.ClosingPhotos);
    }

    [Fact]
    public async Task Reply_WithAPhoto_IsNoClosingPhoto_AndStillNeedsText()
    {
        await _bot.FileNoiseComplaint("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "回复")
            .AssertReplyContains("请输入要回复居民的内容")
            .Send("", attachments: [new InboundAttachment("image", Photo)])
            .AssertReplyContains("请输入要回复居民的内容")
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.True(ticket.IsOpen);
        Assert.DoesNotContain(ticket.Events, e => e.Photos.Count > 0);
    }

    /// <summary>alice reports a broken stair light in group-1, tied to 幸福里 (xfl): no compound question.</summary>
    private async Task<ConversationFlow> FileLampInTiedGroupAsync()
    {
        await _bot.TieGroupAsync("group-1", "xfl");
        return _bot.Conversation()
            .As("alice").Send("@小灵通 3号楼楼道灯坏了三天了")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("物业管理")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .Send("跳过")
            .AssertReplyContains("按本群所在小区默认")
            .Press("提交")
            .AssertReplyContains("已登记，工单号 " + FirstTicket)
            .InConversation(WorkerChat, group: false).AssertReplyContains("幸福里小区3号楼")
            .InPrivateChatOf("alice").AssertReplyContains("已登记");
    }
}
