namespace CommunityBot.Tests.Harness;

/// <summary>Ticket journeys several test classes start from.</summary>
public static class TicketFlows
{
    public const string FirstTicket = "WT20261123-0001";
    public const string WorkerChat = "private-" + FakeDirectory.GridWorker;

    /// <summary>The resident reports noise at 幸福里 5号楼 in "group-1"; the receipt reaches the group and the card 王芳's private chat.</summary>
    public static ConversationFlow FileNoiseComplaint(this BotHarness bot, string resident) => bot.Conversation()
        .As(resident).Send("@小灵通 投诉5号楼楼下烧烤店天天半夜吵得睡不着")
        .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
        .Send("环境保护")
        .AssertReply(r => Assert.Equal("在哪个小区？", r.Text))
        .Send("幸福里小区")
        .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
        .Send("跳过")
        .AssertReply(r =>
        {
            Assert.StartsWith("请确认：", r.Text);
            Assert.Contains("位置：幸福里小区5号楼", r.Text);
        })
        .Press("提交")
        .AssertReply(r => Assert.Equal($"已登记，工单号 {FirstTicket}。由王芳负责，30分钟内响应。查询进度请@我说「我的工单」。", r.Text))
        // The phone is asked for privately, never in the group, with a 跳过 button.
        .InConversation("private-" + resident, group: false)
        .AssertReply(r =>
        {
            Assert.StartsWith($"您在群里反映的问题已登记（工单 {FirstTicket}）", r.Text);
            Assert.Equal(["跳过"], r.Buttons.Select(b => b.Title));
        })
        // The worker's card last, so that a test's next Press finds its buttons.
        .InConversation(WorkerChat, group: false)
        .AssertReply(r =>
        {
            Assert.Equal("新工单 " + FirstTicket, r.Title);
            Assert.Contains("烧烤店", r.Text);
            Assert.Equal(["签收", "回复", "接管", "转派", "联动", "退回", "办结"], r.Buttons.Select(b => b.Title));
        })
        .InConversation("group-1", group: true).As(resident);
}
