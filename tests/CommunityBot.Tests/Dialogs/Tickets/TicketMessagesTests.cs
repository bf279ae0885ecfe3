using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Privacy;
using CommunityBot.Dialogs.Tickets;

namespace CommunityBot.Tests.Dialogs.Tickets;

/// <summary>The words of ticket handling (issue 13, item 3): each fact for its audience, and the group rule.</summary>
public sealed class TicketMessagesTests
{
    private const string Resident = "王阿姨";
    private const string Phone = "13812345678";
    private const string Room = "501";
    private const string Number = "WT20261123-0042";

    private static readonly DateTimeOffset SignBy = new(2026, 11, 24, 10, 30, 0, TimeSpan.FromHours(8));

    private static readonly ConversationReference PrivateChat = new() { Channel = "wecom", ConversationId = "u1", UserId = "u1" };
    private static readonly ConversationReference GroupChat = new() { Channel = "wecom", ConversationId = "g1", UserId = "u1", IsGroup = true };

    // Personal data in every field a fact has for it, including the free text a resident or worker wrote.
    private static readonly TicketCard Card = new(
        Number, "噪音", "幸福里5号楼", Room, $"楼下烧烤店吵，我家{Room}室，电话{Phone}", Resident, Phone, SignBy, "张伟");

    public static TheoryData<TicketFact> FactsWithPersonalData() =>
    [
        new TicketFact.WorkerCardNeeded(Card, new CardReason.NewTicket()),
        new TicketFact.WorkerCardNeeded(Card, new CardReason.Reopened(Fixed: false, Satisfied: false)),
        new TicketFact.WorkerCardNeeded(Card, new CardReason.Returned("张伟", $"居民说住{Room}室")),
        new TicketFact.WorkerCardNeeded(Card, new CardReason.Transferred("张伟", $"李强 打{Phone}")),
        new TicketFact.WorkerCardNeeded(Card, new CardReason.CoHandling("张伟", $"请联系{Phone}")),
        new TicketFact.WorkerCardNeeded(Card, new CardReason.ResidentWaiting(12, "张伟")),
        new TicketFact.WorkerCardNeeded(Card, new CardReason.DeadlineNear(TicketDeadline.Sign, SignBy)),
        new TicketFact.WorkerCardNeeded(Card, new CardReason.DeadlinesMissed([TicketDeadline.Sign, TicketDeadline.Close])),
        new TicketFact.SupporterJoined(Number, Resident, Phone, 2, $"我也是5号楼{Room}的，电话{Phone}"),
        new TicketFact.ContactLeft(Number, Resident, Phone, "3", Room),
        new TicketFact.WorkerReplied(Number, "张伟", $"明天上午到{Room}室看看，有事打{Phone}", Room),
        new TicketFact.TakeOverStarted(Number, "张伟"),
        new TicketFact.ConsoleTakeOverStarted(Number, Resident),
        new TicketFact.RelayedFromResident(Number, Resident, $"我在家，3单元{Room}，电话{Phone}", 1),
        new TicketFact.RelayedToResident("张伟", $"好的，我到3单元{Room}找您，电话{Phone}"),
        new TicketFact.TakeOverEnded(Number, "张伟"),
        new TicketFact.TakeOverIdle(Number, Resident),
        new TicketFact.AnswerDelayed(Number, "张伟", "刘芳"),
        new TicketFact.DistrictEscalated(Card, [TicketDeadline.Close]),
        new TicketFact.SupporterPhotos(Number, Resident, [new OutboundAttachment("image/jpeg", "https://bot.example.org/media/a")], 1),
        new TicketFact.SupporterPhotos(Number, Resident, [], 2),
    ];

    [Theory]
    [MemberData(nameof(FactsWithPersonalData))]
    public void For_GroupAudience_NamesNoPhoneNoRoomNoResident(TicketFact fact)
    {
        var message = TicketMessages.For(fact, GroupChat);

        var shown = message.Title + "\n" + message.Text + "\n" + string.Join("\n", message.Buttons.Select(b => b.Title));
        Assert.DoesNotContain(Phone, shown);
        Assert.DoesNotContain(Room, shown);
        Assert.DoesNotContain(Resident, shown);
        Assert.NotEmpty(message.Text);
    }

    [Fact]
    public void For_DistrictEscalated_HidesPersonalDataEvenInPrivate()
    {
        var message = TicketMessages.For(new TicketFact.DistrictEscalated(Card, [TicketDeadline.Sign, TicketDeadline.Close]), PrivateChat);

        Assert.Equal($"督办工单 {Number}", message.Title);
        Assert.Equal(
            $"噪音｜幸福里5号楼\n楼下烧烤店吵，我家{PersonalData.HiddenRoom}室，电话{PersonalData.HiddenNumber}\n签收、办结已超时，工单升级至您处督办。\n责任人：张伟",
            message.Text);
        Assert.Empty(message.Buttons);
    }

    [Fact]
    public void For_NewTicketCardInPrivate_ShowsTheStoredDetailsAndEveryAction()
    {
        var message = TicketMessages.For(new TicketFact.WorkerCardNeeded(Card, new CardReason.NewTicket()), PrivateChat);

        Assert.Equal($"新工单 {Number}", message.Title);
        Assert.Equal(
            $"噪音｜幸福里5号楼 {Room}室\n{Card.Description}\n反映人：{Resident}（电话：{Phone}）\n请于11月24日 10:30前签收。",
            message.Text);
        Assert.Equal(["签收", "回复", "接管", "转派", "联动", "退回", "办结"], message.Buttons.Select(b => b.Title));
        Assert.All(message.Buttons, b => Assert.True(TicketButtons.TryParse(b.Value, out var number, out _) && number == Number));
        Assert.Equal(TicketButtons.Value(Number, WorkerAction.Close), message.Buttons[^1].Value);
    }

    [Fact]
    public void For_CardWithoutPhone_SaysNoneWasLeft()
    {
        var message = TicketMessages.For(new TicketFact.WorkerCardNeeded(Card with { ReporterPhone = null, Room = null }, new CardReason.NewTicket()), PrivateChat);

        Assert.Contains($"反映人：{Resident}（电话：未留）", message.Text);
        Assert.StartsWith("噪音｜幸福里5号楼\n", message.Text);
    }

    [Theory]
    [InlineData(false, false, "居民反馈：没解决，不满意")]
    [InlineData(false, true, "居民反馈：没解决")]
    [InlineData(true, false, "居民反馈：已解决，但不满意")]
    public void For_ReopenedCard_SaysWhyItCameBack(bool fixedIt, bool satisfied, string why)
    {
        var message = TicketMessages.For(new TicketFact.WorkerCardNeeded(Card, new CardReason.Reopened(fixedIt, satisfied)), PrivateChat);

        Assert.Equal($"重办工单 {Number}", message.Title);
        Assert.Contains("\n" + why + "\n反映人：", message.Text);
    }

    public static TheoryData<CardReason, string, string> CardReasons() => new()
    {
        { new CardReason.Returned("张伟", "不归我管"), "退回工单", "张伟退回：不归我管" },
        { new CardReason.Transferred("张伟", "李强 7号楼属于二网格"), "转派工单", "张伟转派：李强 7号楼属于二网格" },
        { new CardReason.CoHandling("张伟", "需要物业配合"), "联动工单", "张伟请您协助：需要物业配合" },
        { new CardReason.ResidentWaiting(12, "张伟"), "居民等待回复", "居民已等待12分钟，网格员张伟未回复，请跟进。" },
        { new CardReason.DeadlineNear(TicketDeadline.FirstContact, SignBy), "催办", "首次联系居民时限11月24日 10:30将至，请尽快处理。" },
        { new CardReason.DeadlinesMissed([TicketDeadline.Sign]), "督办工单", "签收已超时，工单升级至您处督办。" },
    };

    [Theory]
    [MemberData(nameof(CardReasons))]
    public void For_CardReason_GivesTitleAndNote(CardReason reason, string title, string note)
    {
        var message = TicketMessages.For(new TicketFact.WorkerCardNeeded(Card, reason), PrivateChat);

        Assert.Equal($"{title} {Number}", message.Title);
        Assert.Contains($"\n{note}\n", message.Text);
        Assert.Equal(note, TicketMessages.Note(reason));
    }

    [Fact]
    public void For_WorkerRepliedInPrivate_KeepsTheWorkersWords()
    {
        var note = $"明天上午到{Room}室看看，有事打{Phone}";

        Assert.Equal($"网格员张伟回复（工单 {Number}）：{note}", TicketMessages.For(new TicketFact.WorkerReplied(Number, "张伟", note, Room), PrivateChat).Text);
        Assert.Equal(
            $"网格员张伟回复（工单 {Number}）：明天上午到{PersonalData.HiddenRoom}室看看，有事打{PersonalData.HiddenNumber}",
            TicketMessages.For(new TicketFact.WorkerReplied(Number, "张伟", note, Room), GroupChat).Text);
    }

    [Theory]
    [InlineData("3", "501", "，住3单元501室")]
    [InlineData(null, "501", "，房号501")]
    [InlineData("3", null, "，住3单元")]
    [InlineData(null, null, "")]
    public void For_ContactLeft_GivesTheWorkerWhereToKnock(string? unit, string? room, string home) =>
        Assert.Equal(
            $"工单 {Number}：居民{Resident}留了电话 {Phone}{home}。",
            TicketMessages.For(new TicketFact.ContactLeft(Number, Resident, Phone, unit, room), PrivateChat).Text);

    [Fact]
    public void For_SupporterJoined_NamesThePhoneOnlyWhenLeft()
    {
        Assert.Equal(
            $"工单 {Number}：又有居民{Resident}（电话：{Phone}）反映了同一问题（共3人反映）：也吵",
            TicketMessages.For(new TicketFact.SupporterJoined(Number, Resident, Phone, 3, "也吵"), PrivateChat).Text);
        Assert.Equal(
            $"工单 {Number}：又有居民{Resident}反映了同一问题（共3人反映）：也吵",
            TicketMessages.For(new TicketFact.SupporterJoined(Number, Resident, null, 3, "也吵"), PrivateChat).Text);
    }

    [Fact]
    public void For_RelayedFromResident_CountsAttachments()
    {
        Assert.Equal($"居民{Resident}（工单 {Number}）：在家", TicketMessages.For(new TicketFact.RelayedFromResident(Number, Resident, "在家", 0), PrivateChat).Text);
        Assert.Equal($"居民{Resident}（工单 {Number}）：看图（附2个附件）", TicketMessages.For(new TicketFact.RelayedFromResident(Number, Resident, "看图", 2), PrivateChat).Text);
    }

    [Fact]
    public void Receipt_EachKind_TellsTheResidentWhatHappened()
    {
        var filed = new TicketReceipt(Number, "张伟", TimeSpan.FromMinutes(30), JoinedExisting: false, Supporters: 1);

        Assert.Equal($"已登记，工单号 {Number}。由张伟负责，30分钟内响应。查询进度请@我说「我的工单」。", TicketMessages.Receipt(filed));
        Assert.Equal($"已登记，工单号 {Number}。由张伟负责，1.5小时内响应。查询进度请@我说「我的工单」。",
            TicketMessages.Receipt(filed with { PromisedResponse = TimeSpan.FromMinutes(90) }));
        Assert.Equal($"这个问题已有人反映，已并入工单 {Number}（共2人反映），由张伟负责，有进展会通知您。",
            TicketMessages.Receipt(filed with { JoinedExisting = true, Supporters = 2 }));
        Assert.Equal($"您已反映过这个问题，工单 {Number} 正在办理，由张伟负责。查询进度请@我说「我的工单」。",
            TicketMessages.Receipt(filed with { JoinedExisting = true, AlreadyReported = true }));
    }

    [Theory]
    [InlineData(FeedbackOutcome.NotRecorded, true, true, "谢谢您的反馈。")]
    [InlineData(FeedbackOutcome.Confirmed, true, true, "谢谢您的反馈，工单已关闭。")]
    [InlineData(FeedbackOutcome.Reopened, false, true, "谢谢您的评价。问题还没解决，工单 " + Number + " 已重新办理，网格员会再联系您。")]
    [InlineData(FeedbackOutcome.Reopened, true, false, "抱歉这次处理没能让您满意，工单 " + Number + " 已重新办理，网格员会再联系您。")]
    [InlineData(FeedbackOutcome.Reopened, false, false, "抱歉问题没解决、也没能让您满意，工单 " + Number + " 已重新办理，网格员会再联系您。")]
    public void ToResident_Feedback_FollowsWhatTheySaid(FeedbackOutcome outcome, bool fixedIt, bool satisfied, string expected) =>
        Assert.Equal(expected, TicketMessages.ToResident(new FeedbackRecorded(outcome, Number, fixedIt, satisfied)));

    [Fact]
    public void ToResident_Contact_MasksThePhoneShownBack()
    {
        Assert.Equal("已记下电话 138****5678，只有处理工单的网格员能看到。", TicketMessages.ToResident(new ContactRecorded(ContactOutcome.Recorded, Phone)));
        Assert.Equal("好的，不留也没关系，有进展会在群里通知您。", TicketMessages.ToResident(new ContactRecorded(ContactOutcome.Skipped)));
        Assert.Equal("没找到您登记的这个工单，电话没有记录。", TicketMessages.ToResident(new ContactRecorded(ContactOutcome.TicketNotFound)));
    }

    public static TheoryData<WorkerActionResult, string> ActorResults() => new()
    {
        { new(WorkerActionOutcome.TicketNotFound, Number), $"找不到工单 {Number}。" },
        { new(WorkerActionOutcome.NotPermitted, Number), "您无权处理这个工单。" },
        { new(WorkerActionOutcome.Signed, Number) { Deadline = SignBy }, $"已签收工单 {Number}，请在11月24日 10:30前办结。" },
        { new(WorkerActionOutcome.NotSignable, Number) { Status = "已办结" }, $"工单 {Number} 当前为「已办结」，无需签收。" },
        { new(WorkerActionOutcome.Replied, Number), "已转告居民。" },
        { new(WorkerActionOutcome.Closed, Number), $"工单 {Number} 已办结，已请居民确认是否解决、是否满意。" },
        { new(WorkerActionOutcome.Returned, Number, "刘芳"), $"工单 {Number} 已退回，交刘芳重新分派，原因已记录。" },
        { new(WorkerActionOutcome.AlreadyHeldByTarget, Number, "李强"), $"工单 {Number} 本来就由李强负责。" },
        { new(WorkerActionOutcome.Transferred, Number, "李强"), $"工单 {Number} 已转派给李强，原因已记录。" },
        { new(WorkerActionOutcome.CoHandlingRequested, Number, "李强"), $"已请李强联动处理工单 {Number}。" },
        { new(WorkerActionOutcome.CoHandlingRefused, Number, "李强"), $"李强已在处理工单 {Number}，或工单已办结。" },
        { new(WorkerActionOutcome.TakenOver, Number, Resident), $"已接管居民{Resident}的对话（工单 {Number}）。您在这里发的消息会转给居民，居民的消息也会转给您；回复「结束接管」交还助手。" },
        { new(WorkerActionOutcome.TakenOverByOther, Number, "李强"), "这位居民已由李强接管。" },
        { new(WorkerActionOutcome.TakeOverEnded, Number), $"已结束接管（工单 {Number}），对话交还助手。" },
        { new(WorkerActionOutcome.NotTakenOver, Number), $"工单 {Number} 没有在接管中。" },
    };

    [Theory]
    [MemberData(nameof(ActorResults))]
    public void ToActor_Outcome_TellsTheWorkerWhatHappened(WorkerActionResult result, string expected) =>
        Assert.Equal(expected, TicketMessages.ToActor(result));

    [Fact]
    public void ToActor_EveryOutcome_HasWords()
    {
        foreach (var outcome in Enum.GetValues<WorkerActionOutcome>().Where(o => o != WorkerActionOutcome.NeedsNote))
        {
            Assert.False(string.IsNullOrWhiteSpace(TicketMessages.ToActor(new WorkerActionResult(outcome, Number, "李强"))), outcome.ToString());
        }
    }

    [Theory]
    [InlineData(WorkerActionOutcome.NeedsNote, true)]
    [InlineData(WorkerActionOutcome.Signed, true)]
    [InlineData(WorkerActionOutcome.TakenOver, true)]
    [InlineData(WorkerActionOutcome.NotPermitted, false)]
    [InlineData(WorkerActionOutcome.AlreadyClosed, false)]
    [InlineData(WorkerActionOutcome.TransferTargetMissing, false)]
    public void WorkerActionResult_Outcome_SaysWhetherItSucceeded(WorkerActionOutcome outcome, bool succeeded) =>
        Assert.Equal(succeeded, new WorkerActionResult(outcome, Number).Succeeded);

    [Fact]
    public void Status_OneTicket_HidesTheRoomAndPhoneInPlaceAndProgress()
    {
        var created = new DateTimeOffset(2026, 11, 23, 21, 5, 0, TimeSpan.FromHours(8));
        var one = new TicketSummary(Number, "漏水", $"幸福里3-2-{Room}", "处理中", created, "张伟", $"明天到{Room}，电话{Phone}", Room);

        var text = TicketMessages.Status(Number, one);

        Assert.Equal(
            $"工单 {Number}\n类别：漏水\n位置：幸福里3-2-{PersonalData.HiddenRoom}\n状态：处理中\n登记：11月23日 21:05\n负责：张伟\n最新进展：明天到{PersonalData.HiddenRoom}，电话{PersonalData.HiddenNumber}",
            text);
        Assert.Equal($"没有找到您登记的工单 {Number}。说「我的工单」可以看您登记过的全部工单。", TicketMessages.Status(Number, null));
    }

    [Fact]
    public void Mine_ShowsFiveNewestWithPlacesHidden()
    {
        var created = new DateTimeOffset(2026, 11, 23, 21, 5, 0, TimeSpan.FromHours(8));
        var mine = Enumerable.Range(1, 6)
            .Select(i => new TicketSummary($"WT20261123-000{i}", "漏水", $"5号楼{Room}室", "待签收", created, i == 1 ? "" : "张伟", Room: Room))
            .ToList();

        var text = TicketMessages.Mine(mine);

        Assert.StartsWith("您的工单：\nWT20261123-0001 漏水 5号楼***室：待签收（11月23日登记）\nWT20261123-0002 漏水 5号楼***室：待签收（11月23日登记，张伟负责）\n", text);
        Assert.DoesNotContain("WT20261123-0006", text);
        Assert.DoesNotContain(Room, text);
        Assert.EndsWith("\n说「查询」加工单号可以看一张工单的详情。", text);
        Assert.Equal("您还没有登记过工单。遇到问题可以@我说「我要报修」。", TicketMessages.Mine([]));
    }
}
