using CommunityBot.Dialogs.Conversation;
using CommunityBot.Media;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;

namespace CommunityBot.Tests.Dialogs.Tickets;

/// <summary>
/// A resident who joins an open ticket by reporting the same problem ("+1") keeps the photos they sent: the ticket records
/// them in the write that joins, the server fetches them afterwards, and the ticket's worker gets one message with our
/// links saying whose they are. In a group tied to a compound and in one that is not.
/// </summary>
public sealed class JoinerPhotoJourneyTests : IDisposable
{
    private const string Ticket1 = TicketFlows.FirstTicket;
    private const string WorkerChat = TicketFlows.WorkerChat;
    private const string Photo = "https://files.example.org/report/lamp.jpg";

    private readonly BotHarness _bot = new();

    public JoinerPhotoJourneyTests() => _bot.PhotoServer.Serve(Photo, TestImages.Jpeg);

    public void Dispose() => _bot.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Joiner_WithAPhoto_TicketKeepsIt_WorkerGetsOurLinkOnceFetched_GroupSeesNoPhoto(bool tied)
    {
        var flow = await AliceReportsTheLampAsync(tied);
        await BobJoinsWithPhotos(flow, tied, [new InboundAttachment("image/jpeg", Photo)])
            .InConversation(WorkerChat, group: false)
            .AssertReply(r =>
            {
                Assert.Contains("又有居民bob反映了同一问题", r.Text, StringComparison.Ordinal);
                Assert.Empty(r.Attachments); // not fetched inside bob's turn
            })
            .AssertNoReply()
            .Then(_bot.FetchMediaAsync)
            .AssertReply(r =>
            {
                Assert.Equal($"工单 {Ticket1}：后来反映同一问题的居民bob发来的现场照片（1张）：", r.Text);
                var photo = Assert.Single(r.Attachments);
                Assert.DoesNotContain("files.example.org", photo.Url, StringComparison.Ordinal);
                Assert.Equal(TestImages.Jpeg, _bot.BytesBehind(photo.Url));
            })
            .AssertNoReply()
            .InConversation("group-1", group: true).AssertNoReply()
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal("bob", Assert.Single(ticket.Supporters).UserId);
        var id = MediaRef.IdOf(Assert.Single(ticket.Photos))!;
        var item = Assert.IsType<MediaItem>(_bot.Media.Find(id));
        Assert.Equal((Photo, MediaPurpose.Report, MediaStatus.Stored, Ticket1), (item.Source, item.Purpose, item.Status, item.TicketNumber));
        var joined = Assert.Single(ticket.Events, e => e.Kind == TicketEventKind.Supported);
        Assert.Equal([MediaRef.Of(id)], joined.Photos); // whose photo it is
        Assert.Single(_bot.PhotoServer.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Joiner_WithoutAPhoto_WorkerHearsOnlyOfTheJoin(bool tied)
    {
        var flow = await AliceReportsTheLampAsync(tied);
        await BobJoinsWithPhotos(flow, tied, [])
            .InConversation(WorkerChat, group: false).AssertReplyContains("又有居民bob反映了同一问题")
            .Then(_bot.FetchMediaAsync)
            .InConversation(WorkerChat, group: false).AssertNoReply()
            .RunAsync();

        Assert.Empty(Assert.Single(_bot.Tickets.All()).Photos);
    }

    [Fact]
    public async Task Joiner_WithAPhotoThatCannotBeKept_WorkerToldItWasNotSaved()
    {
        const string Page = "https://files.example.org/report/lamp.html";
        _bot.PhotoServer.Serve(Page, TestImages.Html, "image/jpeg");

        var flow = await AliceReportsTheLampAsync(tied: true);
        await BobJoinsWithPhotos(flow, tied: true, [new InboundAttachment("image/jpeg", Page)])
            .InConversation(WorkerChat, group: false).AssertReplyContains("又有居民bob反映了同一问题")
            .Then(_bot.FetchMediaAsync)
            .AssertReply($"工单 {Ticket1}：后来反映同一问题的居民bob发来的1张照片未能保存，如需照片请联系居民。")
            .InConversation("group-1", group: true).AssertNoReply()
            .RunAsync();
    }

    /// <summary>alice reports the broken stair light at 3号楼 in group-1 without a photo; the side messages are read.</summary>
    private async Task<ConversationFlow> AliceReportsTheLampAsync(bool tied)
    {
        if (tied)
        {
            await _bot.TieGroupAsync("group-1", "xfl");
        }

        return UpToPhoto(_bot.Conversation(), "alice", "3号楼楼道灯坏了三天了", tied)
            .Send("跳过")
            .AssertReply(r => Assert.StartsWith("请确认：", r.Text))
            .Press("提交")
            .AssertReplyContains("已登记，工单号 " + Ticket1)
            .InPrivateChatOf("alice").AssertReplyContains("留个电话")
            .InConversation(WorkerChat, group: false).AssertReplyContains("幸福里小区3号楼")
            .InConversation("group-1", group: true);
    }

    /// <summary>bob reports the same light in group-1 with <paramref name="photos"/> at the photo step and joins ticket 1.</summary>
    private static ConversationFlow BobJoinsWithPhotos(ConversationFlow flow, bool tied, IReadOnlyList<InboundAttachment> photos) =>
        (photos.Count == 0
            ? UpToPhoto(flow, "bob", "我要报修 3号楼楼道灯不亮", tied).Send("跳过")
            : UpToPhoto(flow, "bob", "我要报修 3号楼楼道灯不亮", tied).Send("", attachments: photos))
        .AssertReply(r =>
        {
            Assert.StartsWith("请确认：", r.Text);
            Assert.Equal(photos.Count > 0, r.Text.Contains($"照片：{photos.Count}张", StringComparison.Ordinal));
        })
        .Press("提交")
        .AssertReply(r =>
        {
            Assert.StartsWith($"这个问题已有人反映，已并入工单 {Ticket1}（共2人反映）", r.Text);
            Assert.Empty(r.Attachments);
        })
        .InPrivateChatOf("bob").AssertReplyContains("留个电话");

    private static ConversationFlow UpToPhoto(ConversationFlow flow, string resident, string text, bool tied)
    {
        flow = flow.As(resident).Send("@小灵通 " + text)
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("物业管理");
        if (!tied)
        {
            flow = flow.AssertReply(r => Assert.Equal("在哪个小区？", r.Text)).Send("幸福里小区");
        }

        return flow.AssertReply(r => Assert.StartsWith("有现场照片", r.Text));
    }
}
