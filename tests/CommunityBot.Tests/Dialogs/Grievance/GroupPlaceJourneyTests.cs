using CommunityBot.Broadcasts;
using CommunityBot.Dialogs.Routing;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Dialogs.Grievance;

/// <summary>Issue 15, item 1: a group's compound is the default place of what is said in it, and how a group gets tied.</summary>
public sealed class GroupPlaceJourneyTests : IDisposable
{
    private const string WorkerChat = "private-" + FakeDirectory.GridWorker;
    private static readonly string GroupKey = GroupRegistry.KeyOf(TestChannel.Name, "group-1");

    private readonly BotHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task TiedGroup_BuildingAlone_IsInTheGroupsCompound_NotAskedAndSaidInTheSummary()
    {
        await _bot.TieGroupAsync("group-1", "xfl");

        await _bot.Conversation()
            .As("alice").Send("@小灵通 3号楼楼道灯坏了三天了")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("物业管理")
            // No "在哪个小区？": the building is the group's compound's.
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .Send("跳过")
            .AssertReply(r =>
            {
                Assert.Contains("位置：幸福里小区3号楼（按本群所在小区默认，不对请点「改位置」）", r.Text);
                Assert.Equal(["提交", "改类别", "改位置", "改描述"], r.Buttons.Select(b => b.Title));
            })
            .Press("提交")
            .AssertReplyContains("已登记，工单号")
            .InConversation(WorkerChat, group: false).AssertReplyContains("幸福里小区3号楼")
            .InPrivateChatOf("alice").AssertReplyContains("已登记")
            .RunAsync();

        var ticket = Assert.Single(_bot.Tickets.All());
        Assert.Equal(("xfl", "3"), (ticket.CompoundId, ticket.Building));
    }

    [Fact]
    public async Task UntiedGroup_BuildingAlone_AsksForTheCompound()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 3号楼楼道灯坏了三天了")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("物业管理")
            .AssertReply(r => Assert.Equal("在哪个小区？", r.Text))
            .Send("幸福里小区")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .Send("跳过")
            .AssertReply(r =>
            {
                Assert.Contains("位置：幸福里小区3号楼\n", r.Text);
                Assert.DoesNotContain("默认", r.Text);
            })
            .RunAsync();
    }

    [Fact]
    public async Task TiedGroup_ChangePlace_OffersTheGroupsCompoundFirst_AndAnotherCanBeChosen()
    {
        await _bot.TieGroupAsync("group-1", "xfl");

        await _bot.Conversation()
            .As("alice").Send("@小灵通 3号楼楼道灯坏了三天了")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("物业管理")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .Send("跳过")
            .AssertReplyContains("按本群所在小区默认")
            .Press("改位置")
            .AssertReply(r =>
            {
                Assert.Equal("在哪个小区？", r.Text);
                Assert.Equal(["幸福里小区", "柳岸花园", "不在列表里"], r.Buttons.Select(b => b.Title));
            })
            .Press("柳岸花园")
            .AssertReply(r => Assert.StartsWith("具体在柳岸花园几号楼或什么位置？", r.Text))
            .Send("2号楼")
            .AssertReply(r =>
            {
                Assert.Contains("位置：柳岸花园2号楼\n", r.Text);
                Assert.DoesNotContain("默认", r.Text);
            })
            .RunAsync();
    }

    [Fact]
    public async Task TiedGroup_MessageNamingAnotherCompound_KeepsThatCompound()
    {
        await _bot.TieGroupAsync("group-1", "xfl");

        await _bot.Conversation()
            .As("alice").Send("@小灵通 柳岸2号楼楼道灯坏了")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("物业管理")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .Send("跳过")
            .AssertReply(r =>
            {
                Assert.Contains("位置：柳岸花园2号楼\n", r.Text);
                Assert.DoesNotContain("默认", r.Text);
            })
            .RunAsync();
    }

    [Fact]
    public async Task GroupTiedToACommunityOnly_OffersOnlyItsCompounds()
    {
        await _bot.TieGroupAsync("group-1", compoundId: null, communityId: "LA-01");

        await _bot.Conversation()
            .As("alice").Send("@小灵通 2号楼楼道灯坏了")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("物业管理")
            .AssertReply(r =>
            {
                Assert.Equal("在哪个小区？", r.Text);
                Assert.Equal(["柳岸花园", "不在列表里"], r.Buttons.Select(b => b.Title));
            })
            .RunAsync();
    }

    [Fact]
    public async Task PrivateChat_TakesTheResidentsLastGroupsCompound()
    {
        await _bot.TieGroupAsync("group-1", "xfl");

        await _bot.Conversation()
            .As("alice").Send("@小灵通 你好")
            .AssertReplyContains("您好")
            .InPrivateChatOf("alice").Send("3号楼楼道灯坏了三天了")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("物业管理")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .Send("跳过")
            .AssertReply(r =>
            {
                Assert.StartsWith("留个电话", r.Text);
                Assert.Equal(["跳过"], r.Buttons.Select(b => b.Title));
            })
            .Press("跳过")
            .AssertReplyContains("位置：幸福里小区3号楼（按您所在的群默认，不对请点「改位置」）")
            .RunAsync();
    }

    [Fact]
    public async Task PrivateChat_WithoutAnyGroup_AsksForTheCompound()
    {
        await _bot.TieGroupAsync("group-1", "xfl");

        await _bot.Conversation()
            .InPrivateChatOf("carol").Send("3号楼楼道灯坏了三天了")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("物业管理")
            .AssertReply(r => Assert.Equal("在哪个小区？", r.Text))
            .RunAsync();
    }

    [Fact]
    public async Task WorkerHeardInAnUntiedGroup_IsAskedPrivatelyOnce_AndTheirPickTiesTheGroup()
    {
        await _bot.Conversation()
            .As(FakeDirectory.GridWorker).Send("@小灵通 你好")
            .AssertReplyContains("您好")
            .As(FakeDirectory.GridWorker).Send("@小灵通 谢谢")
            .AssertReplyContains("不客气")
            // Residents are not asked, and the group sees no card.
            .As("alice").Send("@小灵通 你好")
            .AssertReplyContains("您好")
            .AssertNoReply()
            .InConversation(WorkerChat, group: false)
            .AssertReply(r =>
            {
                Assert.Equal("设置群所在小区", r.Title);
                Assert.Contains("王芳您好：您刚才发言的群还没有设置所在的小区", r.Text);
                Assert.Equal(["幸福里小区", "柳岸花园", "以后再说"], r.Buttons.Select(b => b.Title));
            })
            .AssertNoReply() // once, although the worker spoke twice
            .As(FakeDirectory.GridWorker).Press("幸福里小区")
            .AssertReply("已把「group-1」设为幸福里小区的居民群。")
            .InConversation("group-1", group: true)
            .AssertReply(r => Assert.StartsWith("本群已设为幸福里小区的居民群", r.Text))
            // From now on a building alone is 幸福里's.
            .As("alice").Send("@小灵通 3号楼楼道灯坏了三天了")
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("物业管理")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .RunAsync();

        Assert.Equal("xfl", _bot.Groups.Find(GroupKey)!.CompoundId);
        Assert.Equal("FH-01", _bot.Groups.Find(GroupKey)!.CommunityId);
    }

    [Fact]
    public async Task Resident_ReplayingTheTieButton_TiesNothing()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 你好")
            .AssertReplyContains("您好")
            .InPrivateChatOf("alice").PressValue("柳岸花园", TurnRouter.TieButton("la", GroupKey))
            .AssertReply("只有网格员和社区工作人员可以设置群所在的小区。")
            .RunAsync();

        Assert.Null(_bot.Groups.Find(GroupKey)!.CompoundId);
    }

    [Fact]
    public async Task Worker_TyingAGroupAlreadyTied_ChangesNothing()
    {
        await _bot.TieGroupAsync("group-1", "xfl");

        await _bot.Conversation()
            .InPrivateChatOf(FakeDirectory.OtherGridWorker).PressValue("柳岸花园", TurnRouter.TieButton("la", GroupKey))
            .AssertReply("这个群已经设为幸福里小区，要改请到管理后台「群管理」。")
            .RunAsync();

        Assert.Equal("xfl", _bot.Groups.Find(GroupKey)!.CompoundId);
    }

    [Fact]
    public async Task WorkerInATiedGroup_IsNotAsked()
    {
        await _bot.TieGroupAsync("group-1", "xfl");

        await _bot.Conversation()
            .As(FakeDirectory.GridWorker).Send("@小灵通 你好")
            .AssertReplyContains("您好")
            .InConversation(WorkerChat, group: false)
            .AssertNoReply()
            .RunAsync();
    }

    [Fact]
    public async Task Worker_Later_IsToldWhereToSetIt()
    {
        await _bot.Conversation()
            .InPrivateChatOf(FakeDirectory.GridWorker).PressValue("以后再说", TurnRouter.TieLater)
            .AssertReplyContains("群管理")
            .RunAsync();
    }
}
