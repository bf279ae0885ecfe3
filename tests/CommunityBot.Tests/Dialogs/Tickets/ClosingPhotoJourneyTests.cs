using System.Net;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Media;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using static CommunityBot.Tests.Harness.TicketFlows;

namespace CommunityBot.Tests.Dialogs.Tickets;

/// <summary>
/// Issue 15, item 6: the worker's 办结 can carry a photo that the resident sees; the ticket keeps it apart from the
/// resident's report photos. In a group tied to a compound and in one that is not. Issue 15 follow-up: the photo is
/// fetched once by the server after the 办结 is recorded and reaches the residents through our own signed link, in a
/// message of its own right after the one that asks 解决了吗, never by the worker's channel's address.
/// </summary>
public sealed class ClosingPhotoJourneyTests : IDisposable
{
    private const string Photo = "https://files.example.org/closing/lamp.jpg";
    private readonly BotHarness _bot = new();

    public ClosingPhotoJourneyTests() => _bot.PhotoServer.Serve(Photo, TestImages.Jpeg);

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
                Assert.Empty(r.Attachments); // the photo is not fetched inside the worker's turn
                Assert.Equal(["已解决", "没解决"], r.Buttons.Select(b => b.Title));
            })
            .AssertNoReply()
            .Then(_bot.FetchMediaAsync)
            .AssertReply(r =>
            {
                Assert.Equal($"工单 {FirstTicket} 的办结照片：", r.Text);
                var photo = Assert.Single(r.Attachments);
                Assert.Equal("image/jpeg", photo.ContentType); // from the bytes, not the worker's "image/jpeg" claim
                Assert.Equal(TestImages.Jpeg, _bot.BytesBehind(photo.Url));
            })
            .AssertNoReply()
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        AssertKeptAsOurs(ticket.ClosingPhotos, Photo, MediaPurpose.Closing);
        Assert.Empty(ticket.Photos); // the resident's report photos are theirs alone
        Assert.Single(_bot.PhotoServer.Requests); // fetched once
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
            .AssertReply(r => Assert.Equal($"您反映的问题（工单 {FirstTicket}）已办结，请看办结照片。\n问题解决了吗？", r.Text))
            .Then(_bot.FetchMediaAsync)
            .AssertReply(r =>
            {
                Assert.Equal($"工单 {FirstTicket} 的办结照片：", r.Text);
                Assert.Equal(TestImages.Jpeg, _bot.BytesBehind(Assert.Single(r.Attachments).Url));
            })
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal(("xfl", TicketStatus.Resolved), (ticket.CompoundId, ticket.Status));
        AssertKeptAsOurs(ticket.ClosingPhotos, Photo, MediaPurpose.Closing);
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
                // The note is masked for the group as every worker note is; the photo follows it.
                Assert.DoesNotContain("13812345678", r.Text, StringComparison.Ordinal);
                Assert.Contains("已换灯泡", r.Text, StringComparison.Ordinal);
            })
            .Then(_bot.FetchMediaAsync)
            .AssertReply(r =>
            {
                Assert.DoesNotContain("13812345678", r.Text, StringComparison.Ordinal);
                var photo = Assert.Single(r.Attachments);
                Assert.DoesNotContain("files.example.org", photo.Url, StringComparison.Ordinal);
                Assert.Equal(TestImages.Jpeg, _bot.BytesBehind(photo.Url));
            })
            .RunAsync();

        AssertKeptAsOurs(Assert.Single(_bot.Tickets.All()).ClosingPhotos, Photo, MediaPurpose.Closing);
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

    [Fact]
    public async Task ClosingPhotoThatCannotBeFetched_RetriedThenGivenUp_WorkerToldItWasNotSaved_ResidentsToldItWasNotSent()
    {
        const string Broken = "https://files.example.org/closing/broken.jpg";
        _bot.PhotoServer.Fail(Broken, HttpStatusCode.ServiceUnavailable);
        var retries = new MediaOptions().RetryDelay;

        await (await FileLampInTiedGroupAsync())
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "办结")
            .AssertReplyContains("请填写办结说明")
            .Send("已换灯泡", attachments: [new InboundAttachment("image/jpeg", Broken)])
            .AssertReply(r => Assert.StartsWith($"工单 {FirstTicket} 已办结", r.Text))
            .InConversation("group-1", group: true)
            .AssertReplyContains("已办结：已换灯泡")
            // Three more attempts, 30 s, 1 min and 2 min apart; nobody hears anything until the last one fails.
            .Then(_bot.FetchMediaAsync).AssertNoReply()
            .AdvanceTime(retries).Then(_bot.FetchMediaAsync).AssertNoReply()
            .AdvanceTime(retries * 2).Then(_bot.FetchMediaAsync).AssertNoReply()
            .AdvanceTime(retries * 2).Then(_bot.FetchMediaAsync).AssertNoReply() // not due yet: the wait doubled
            .AdvanceTime(retries * 2).Then(_bot.FetchMediaAsync)
            .AssertReply(r =>
            {
                Assert.Equal($"抱歉，工单 {FirstTicket} 的办结照片未能发送。", r.Text);
                Assert.Empty(r.Attachments);
            })
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .AssertReply(r => Assert.Equal($"工单 {FirstTicket}：1张办结照片未能保存，居民没有收到。如需说明，可以用「回复」告诉居民。", r.Text))
            .RunAsync();

        Assert.Equal(4, _bot.PhotoServer.Requests.Count);
        var item = Assert.IsType<MediaItem>(_bot.Media.Find(MediaRef.IdOf(Assert.Single(Assert.Single(_bot.Tickets.All()).ClosingPhotos))!));
        Assert.Equal((MediaStatus.Failed, 4, "HTTP 503"), (item.Status, item.Attempts, item.Failure));
    }

    [Fact]
    public async Task ClosingPhotoThatIsNoImage_GivenUpAtOnce_NeverPassedOn()
    {
        const string Page = "https://files.example.org/closing/lamp.html";
        _bot.PhotoServer.Serve(Page, TestImages.Html, "image/jpeg");

        await _bot.FileNoiseComplaint("alice")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .PressCardButton(FirstTicket, "办结")
            .AssertReplyContains("请填写办结说明")
            .Send("已约谈烧烤店", attachments: [new InboundAttachment("image/jpeg", Page)])
            .AssertReply(r => Assert.StartsWith($"工单 {FirstTicket} 已办结", r.Text))
            .InConversation("group-1", group: true)
            .AssertReply(r => Assert.Empty(r.Attachments))
            .Then(_bot.FetchMediaAsync)
            .AssertReply(r => Assert.Equal($"抱歉，工单 {FirstTicket} 的办结照片未能发送。", r.Text))
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .AssertReplyContains("1张办结照片未能保存")
            .RunAsync();

        Assert.Single(_bot.PhotoServer.Requests); // refused, not retried
        var item = Assert.IsType<MediaItem>(_bot.Media.Find(MediaRef.IdOf(Assert.Single(Assert.Single(_bot.Tickets.All()).ClosingPhotos))!));
        Assert.Equal((MediaStatus.Failed, "not a JPEG, PNG, GIF or WebP image"), (item.Status, item.Failure));
        Assert.Null(_bot.Media.FileOf(item));
    }

    [Fact]
    public async Task ReporterAndJoinerInOneGroup_ClosingPhotoReachesTheGroupOnce()
    {
        await (await FileLampInTiedGroupAsync())
            .InConversation("group-1", group: true)
            .As("bob").Send("@小灵通 我要报修 3号楼楼道灯不亮")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("物业管理")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .Send("跳过")
            .AssertReplyContains("请确认：")
            .Press("提交")
            .AssertReplyContains($"已并入工单 {FirstTicket}（共2人反映）")
            .InPrivateChatOf("bob").AssertReplyContains("留个电话")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .AssertReplyContains("又有居民bob反映了同一问题")
            .PressCardButton(FirstTicket, "办结")
            .AssertReplyContains("请填写办结说明")
            .Send("已换灯泡", attachments: [new InboundAttachment("image/jpeg", Photo)])
            .AssertReply(r => Assert.StartsWith($"工单 {FirstTicket} 已办结", r.Text))
            .InConversation("group-1", group: true)
            // Each resident is asked 解决了吗 in a turn of their own; the photo is one message for the group.
            .AssertReplyContains("已办结：已换灯泡")
            .AssertReplyContains("已办结：已换灯泡")
            .AssertNoReply()
            .Then(_bot.FetchMediaAsync)
            .AssertReply(r =>
            {
                Assert.Equal($"工单 {FirstTicket} 的办结照片：", r.Text);
                Assert.Equal(TestImages.Jpeg, _bot.BytesBehind(Assert.Single(r.Attachments).Url));
            })
            .AssertNoReply()
            .RunAsync();
    }

    [Fact]
    public async Task ReporterAndJoinerInOneGroup_WorkersReplyReachesTheGroupOnce()
    {
        await (await FileLampInTiedGroupAsync())
            .InConversation("group-1", group: true)
            .As("bob").Send("@小灵通 我要报修 3号楼楼道灯不亮")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("物业管理")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .Send("跳过")
            .AssertReplyContains("请确认：")
            .Press("提交")
            .AssertReplyContains($"已并入工单 {FirstTicket}（共2人反映）")
            .InPrivateChatOf("bob").AssertReplyContains("留个电话")
            .InPrivateChatOf(FakeDirectory.GridWorker)
            .AssertReplyContains("又有居民bob反映了同一问题")
            .PressCardButton(FirstTicket, "回复")
            .AssertReplyContains("请输入要回复居民的内容")
            .Send("明天上午来换灯")
            .AssertReplyContains("已转告居民")
            .InConversation("group-1", group: true)
            .AssertReplyContains("回复（工单 " + FirstTicket + "）：明天上午来换灯")
            .AssertNoReply()
            .RunAsync();
    }

    /// <summary>The ticket keeps <c>media:{id}</c> for the photo, whose record remembers where it came from and holds it now.</summary>
    private void AssertKeptAsOurs(IReadOnlyList<string> photos, string source, MediaPurpose purpose)
    {
        var id = MediaRef.IdOf(Assert.Single(photos));
        var item = Assert.IsType<MediaItem>(_bot.Media.Find(Assert.IsType<string>(id)));
        Assert.Equal((source, purpose, MediaStatus.Stored, "image/jpeg"), (item.Source, item.Purpose, item.Status, item.ContentType));
        Assert.Equal(TestImages.Jpeg, File.ReadAllBytes(_bot.Media.FileOf(item)!));
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
