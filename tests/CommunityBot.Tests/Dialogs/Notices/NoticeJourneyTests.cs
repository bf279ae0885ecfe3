using CommunityBot.Notices;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Dialogs.Notices;

/// <summary>Journey 8: a posted outage answers residents' questions, and reports it covers join it instead of becoming tickets.</summary>
public sealed class NoticeJourneyTests : IDisposable
{
    private const string WaterText = "因管网维修，今晚停水，预计明早6点恢复供水。";

    private readonly BotHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    // The harness clock is 2026-11-23 20:00 (+08:00); the window is 18:00 to 06:00 the next morning.
    private async Task<Notice> PostWaterNoticeAsync(string compoundId = "xfl", params string[] buildings) =>
        await _bot.Notices.CreateAsync(new Notice
        {
            Title = "幸福里停水通知",
            Text = WaterText,
            Category = "水电气暖",
            Keywords = NoticeKeywords.Defaults("水电气暖", "停水通知").ToList(),
            CommunityId = "FH-01",
            Places = [new NoticePlace { CompoundId = compoundId, CompoundName = "幸福里小区", Buildings = buildings.Length == 0 ? ["5号楼", "6号楼"] : [.. buildings] }],
            StartUtc = new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc),
            EndUtc = new DateTime(2026, 11, 23, 22, 0, 0, DateTimeKind.Utc),
            Author = "boss",
            CreatedUtc = new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc),
        });

    [Fact]
    public async Task Question_AboutNoticeInForce_IsAnsweredFromTheNoticeWithItsWindow()
    {
        await PostWaterNoticeAsync();

        await _bot.Conversation()
            .As("alice").Send("@小灵通 怎么又停水了")
            .AssertReply(r =>
            {
                Assert.Contains(WaterText, r.Text);
                Assert.Contains("11月23日 18:00 至 11月24日 06:00", r.Text);
                Assert.Contains("幸福里小区5-6号楼", r.Text);
                Assert.Contains(r.Buttons, b => b.Title == "仍要报修");
            })
            .RunAsync();

        Assert.Empty(_bot.Tickets.All());
        Assert.Equal(0, _bot.Misses.Count());
    }

    [Fact]
    public async Task Question_ThenStillReport_InScope_JoinsTheNotice()
    {
        var notice = await PostWaterNoticeAsync();

        await _bot.Conversation()
            .As("alice").Send("@小灵通 幸福里5号楼怎么又停水了")
            .AssertReplyContains(WaterText)
            .Press("仍要报修")
            // The place and what happened are known: the notice answers before any question (issue 15).
            .AssertReplyContains("不会生成工单")
            .RunAsync();

        Assert.Empty(_bot.Tickets.All());
        Assert.Single(_bot.Notices.Find(notice.Id)!.Reports);
    }

    [Fact]
    public async Task Question_NamingABuildingOutsideTheScope_IsNotAnsweredFromTheNotice()
    {
        await PostWaterNoticeAsync();

        await _bot.Conversation()
            .As("alice").Send("@小灵通 幸福里3号楼停水了吗")
            .AssertReply(r => Assert.DoesNotContain(WaterText, r.Text))
            .RunAsync();
    }

    [Fact]
    public async Task Question_OnAnotherTopic_IsNotAnsweredFromTheWaterNotice()
    {
        await PostWaterNoticeAsync();

        await _bot.Conversation()
            .As("alice").Send("@小灵通 5号楼停电了吗")
            .AssertReply(r => Assert.DoesNotContain(WaterText, r.Text))
            .RunAsync();
    }

    [Fact]
    public async Task Question_WithSeveralNoticesAndNoPlace_ListsThemBriefly_AndAPlaceNarrowsToOne()
    {
        await PostWaterNoticeAsync();
        var other = await PostWaterNoticeAsync("la", "2号楼");
        await _bot.Notices.UpdateAsync(other.Id, n =>
        {
            n.Title = "柳岸停水通知";
            n.Text = "柳岸花园2号楼水泵检修。";
            n.Places[0].CompoundName = "柳岸花园";
            return true;
        });

        await _bot.Conversation()
            .As("alice").Send("@小灵通 几点来水")
            .AssertReply(r =>
            {
                Assert.StartsWith("目前有这些通知：", r.Text);
                Assert.Contains("1. 【幸福里停水通知】幸福里小区5-6号楼", r.Text);
                Assert.Contains("2. 【柳岸停水通知】柳岸花园2号楼", r.Text);
                Assert.DoesNotContain(WaterText, r.Text);
            })
            .Send("@小灵通 柳岸2号楼几点来水")
            .AssertReply(r =>
            {
                Assert.Contains("柳岸花园2号楼水泵检修。", r.Text);
                Assert.DoesNotContain(WaterText, r.Text);
            })
            .RunAsync();
    }

    [Fact]
    public async Task Report_InTheNoticesBuilding_JoinsTheNoticeAndOpensNoTicket()
    {
        var notice = await PostWaterNoticeAsync();

        await _bot.Conversation()
            .As("alice").Send("@小灵通 我要报修 幸福里5号楼没水了")
            .AssertReply(r =>
            {
                Assert.StartsWith("这是已公告的情况：【幸福里停水通知】", r.Text);
                Assert.Contains("11月23日 18:00 至 11月24日 06:00", r.Text);
                Assert.Contains("共1人反映", r.Text);
                Assert.Contains("不会生成工单", r.Text);
                Assert.DoesNotContain("alice", r.Text);
            })
            .AssertNoReply()
            .As("bob").Send("@小灵通 我要报修 幸福里6号楼不出水")
            .AssertReplyContains("共2人反映")
            .RunAsync();

        Assert.Empty(_bot.Tickets.All());
        var stored = _bot.Notices.Find(notice.Id)!;
        Assert.Equal(["test|alice", "test|bob"], stored.Reports.Select(r => r.ReporterKey));
        Assert.Equal("幸福里小区5号楼", stored.Reports[0].Location);
        Assert.Empty(_bot.Unread());
    }

    [Fact]
    public async Task Report_InAnotherBuilding_FilesATicketAsBefore()
    {
        var notice = await PostWaterNoticeAsync();

        await FileWaterReportAsync("@小灵通 我要报修 幸福里3号楼没水了");

        Assert.Equal("3", Assert.Single(_bot.Tickets.All()).Building);
        Assert.Empty(_bot.Notices.Find(notice.Id)!.Reports);
    }

    [Fact]
    public async Task Report_OfAnotherProblemInTheSameCategoryAndBuilding_FilesATicket()
    {
        var notice = await PostWaterNoticeAsync();

        await FileWaterReportAsync("@小灵通 我要报修 幸福里5号楼楼道灯坏了");

        Assert.Single(_bot.Tickets.All());
        Assert.Empty(_bot.Notices.Find(notice.Id)!.Reports);
    }

    // Tomorrow 08:00–18:00 office time (+08:00): 12 hours after the harness clock's 20:00.
    private Task<Notice> PostTomorrowsWaterNoticeAsync(int daysLater = 1) =>
        _bot.Notices.CreateAsync(new Notice
        {
            Title = "幸福里计划停水",
            Text = "因二次供水设备检修，计划停水一天。",
            Category = "水电气暖",
            Keywords = NoticeKeywords.Defaults("水电气暖", "计划停水").ToList(),
            CommunityId = "FH-01",
            Places = [new NoticePlace { CompoundId = "xfl", CompoundName = "幸福里小区", Buildings = ["5号楼"] }],
            StartUtc = new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc).AddDays(daysLater),
            EndUtc = new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc).AddDays(daysLater),
            Author = "boss",
            CreatedUtc = new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc),
        });

    [Fact]
    public async Task Question_AboutAnUpcomingNotice_SaysItHasNotStartedAndWhenItWill()
    {
        await PostTomorrowsWaterNoticeAsync();

        await _bot.Conversation()
            .As("alice").Send("@小灵通 明天停水吗")
            .AssertReply(r =>
            {
                Assert.Contains("因二次供水设备检修，计划停水一天。", r.Text);
                Assert.Contains("幸福里小区5号楼", r.Text);
                Assert.Contains("这个通知还没有开始，将于 11月24日 08:00 开始。", r.Text);
                Assert.DoesNotContain("无需报修", r.Text);
                Assert.Contains(r.Buttons, b => b.Title == "仍要报修");
            })
            .As("bob").Send("@小灵通 幸福里5号楼几点停水")
            .AssertReplyContains("将于 11月24日 08:00 开始")
            .RunAsync();

        Assert.Empty(_bot.Tickets.All());
        Assert.Equal(0, _bot.Misses.Count());
    }

    [Fact]
    public async Task Question_AboutANoticeMoreThan48HoursAhead_IsNotAnsweredUntilItIsWithin48Hours()
    {
        await PostTomorrowsWaterNoticeAsync(daysLater: 3); // Thursday 08:00, 60 hours ahead

        await _bot.Conversation()
            .As("alice").Send("@小灵通 周四几点停水")
            .AssertReply(r => Assert.DoesNotContain("计划停水一天", r.Text))
            .AdvanceTime(TimeSpan.FromHours(13)) // Tuesday 09:00: 47 hours ahead
            .Send("@小灵通 周四几点停水")
            .AssertReplyContains("这个通知还没有开始，将于 11月26日 08:00 开始。")
            .RunAsync();
    }

    [Fact]
    public async Task Question_WithAnUpcomingAndAnInForceNotice_ListsBothAndMarksTheUpcomingOne()
    {
        await PostWaterNoticeAsync("xfl", "1号楼");
        await PostTomorrowsWaterNoticeAsync();

        await _bot.Conversation()
            .As("alice").Send("@小灵通 停水到什么时候")
            .AssertReply(r =>
            {
                Assert.Contains("1. 【幸福里停水通知】幸福里小区1号楼，11月23日 18:00 至 11月24日 06:00\n", r.Text);
                Assert.Contains("2. 【幸福里计划停水】幸福里小区5号楼，11月24日 08:00 至 18:00（未开始）", r.Text);
            })
            .RunAsync();
    }

    [Fact]
    public async Task Report_BeforeAnUpcomingNoticeStarts_FilesATicket_AndJoinsOnceItHasStarted()
    {
        var notice = await PostTomorrowsWaterNoticeAsync();

        await FileWaterReportAsync("@小灵通 我要报修 幸福里5号楼没水了");

        Assert.Single(_bot.Tickets.All());
        Assert.Empty(_bot.Notices.Find(notice.Id)!.Reports);

        _bot.Time.Advance(TimeSpan.FromHours(13)); // 09:00 tomorrow, inside the window
        await _bot.Conversation(conversationId: "group-2")
            .As("bob").Send("@小灵通 我要报修 幸福里5号楼没水了")
            .AssertReplyContains("不会生成工单")
            .RunAsync();

        Assert.Single(_bot.Tickets.All());
        Assert.Single(_bot.Notices.Find(notice.Id)!.Reports);
    }

    [Fact]
    public async Task Report_AfterTheWindow_FilesATicketAsBefore()
    {
        var notice = await PostWaterNoticeAsync();
        _bot.Time.Advance(TimeSpan.FromHours(11)); // 07:00 the next morning, an hour after the window

        await FileWaterReportAsync("@小灵通 我要报修 幸福里5号楼没水了");

        Assert.Single(_bot.Tickets.All());
        Assert.Empty(_bot.Notices.Find(notice.Id)!.Reports);
    }

    [Fact]
    public async Task Notice_Withdrawn_NoLongerAnswersNorTakesReports()
    {
        var notice = await PostWaterNoticeAsync();
        await _bot.Notices.UpdateAsync(notice.Id, n =>
        {
            n.WithdrawnUtc = new DateTime(2026, 11, 23, 11, 0, 0, DateTimeKind.Utc);
            return true;
        });

        await _bot.Conversation()
            .As("alice").Send("@小灵通 怎么又停水了")
            .AssertReply(r => Assert.DoesNotContain(WaterText, r.Text))
            .RunAsync();
        // Another group: each scripted flow numbers its message ids afresh, and the pipeline drops repeated ids.
        await FileWaterReportAsync("@小灵通 我要报修 幸福里5号楼没水了", "bob", "group-2");

        Assert.Single(_bot.Tickets.All());
    }

    [Fact]
    public async Task Notice_WithdrawnMidDialog_TheReportGoesOnToATicket()
    {
        var notice = await PostWaterNoticeAsync();

        await _bot.Conversation()
            // No place yet: on a notice's topic, the place is asked first (so the notice can answer before the category).
            .As("alice").Send("@小灵通 我要报修 家里没水了")
            .AssertReply(r => Assert.Equal("在哪个小区？", r.Text))
            .Then(() => _bot.Notices.UpdateAsync(notice.Id, n =>
            {
                n.WithdrawnUtc = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);
                return true;
            }))
            .Send("幸福里小区")
            // Withdrawn: nothing to answer from any more, so the questions come in their usual order.
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("水电气暖")
            .AssertReply(r => Assert.StartsWith("具体在幸福里小区几号楼", r.Text))
            .Send("5号楼")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .Send("跳过")
            .AssertReplyContains("请确认")
            .Press("提交")
            .AssertReplyContains("已登记，工单号")
            .InConversation("private-" + FakeDirectory.GridWorker, group: false)
            .AssertReplyContains("水电气暖｜幸福里小区5号楼")
            .InPrivateChatOf("alice")
            .AssertReplyContains("已登记")
            .RunAsync();

        Assert.Single(_bot.Tickets.All());
    }

    /// <summary>Reports a water problem in a group and goes through to the ticket number.</summary>
    private Task FileWaterReportAsync(string message, string resident = "alice", string group = "group-1") =>
        _bot.Conversation(conversationId: group)
            .As(resident).Send(message)
            .AssertReply(r => Assert.Equal("请问是哪类问题？", r.Text))
            .Send("水电气暖")
            .AssertReply(r => Assert.StartsWith("有现场照片", r.Text))
            .Send("跳过")
            .AssertReplyContains("请确认")
            .Press("提交")
            .AssertReplyContains("已登记，工单号")
            .InConversation("private-" + FakeDirectory.GridWorker, group: false)
            .AssertReplyContains("水电气暖｜幸福里小区")
            .InPrivateChatOf(resident)
            .AssertReplyContains("已登记")
            .RunAsync();
}
