using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Dialogs.Engine;

public sealed class DialogRunnerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 23, 0, 0, TimeSpan.FromHours(8));

    private readonly MemoryStateStore _store = new();
    private readonly List<RepairRequest> _results = [];
    private readonly DialogRunner _runner;
    private DateTimeOffset _now = Start;
    private int _counter;

    public DialogRunnerTests()
    {
        var dialogs = new DialogSet().Add(new RepairDialog(), (_, result, _) =>
        {
            _results.Add(result);
            return Task.CompletedTask;
        });
        _runner = new DialogRunner(dialogs, _store, MsOptions.Create(new DialogOptions { Expiry = TimeSpan.FromMinutes(30), MaxPromptAttempts = 3 }));
    }

    [Fact]
    public async Task Dialog_AllStepsAnswered_CompletesWithTypedResult()
    {
        var first = await BeginAsync();
        Assert.Equal("哪里坏了？", Assert.Single(first.Replies).Text);

        Assert.Equal("请选择紧急程度：", (await SendAsync("楼道灯不亮")).Replies.Single().Text);
        Assert.Equal("有照片吗？", (await SendAsync("2")).Replies.Single().Text);
        var confirm = await SendAsync(attachments: [new InboundAttachment("image/jpeg", "https://example.invalid/1.jpg")]);
        Assert.Contains("楼道灯不亮", confirm.Replies.Single().Text);
        Assert.Equal(["是", "否"], confirm.Replies.Single().Buttons.Select(b => b.Title));
        await SendAsync("好的");

        var result = Assert.Single(_results);
        Assert.Equal(new RepairRequest("楼道灯不亮", "一般", 1), result);
        Assert.Null(await _store.LoadAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task ChoicePrompt_UnrecognisedAnswer_RepromptsWithRetryText()
    {
        await BeginAsync();
        await SendAsync("楼道灯不亮");

        var retry = await SendAsync("随便");

        var reply = Assert.Single(retry.Replies);
        Assert.Equal("请点按钮选择：紧急 或 一般。", reply.Text);
        Assert.Equal(2, reply.Buttons.Count);
        Assert.Equal(RepairDialog.Step.Urgency.ToString(), (await _store.LoadAsync(Key, CancellationToken.None))!.Step);
    }

    [Theory]
    [InlineData("紧急", "紧急")]
    [InlineData("一般", "一般")]
    [InlineData("1", "紧急")]
    [InlineData("２", "一般")]
    [InlineData("第2个", "一般")]
    public async Task ChoicePrompt_TitleOrPosition_Selects(string answer, string expected)
    {
        await BeginAsync();
        await SendAsync("电梯不动");
        await SendAsync(answer);
        await SendAsync("跳过");
        await SendAsync("是");

        Assert.Equal(expected, Assert.Single(_results).Urgency);
    }

    [Fact]
    public async Task ConfirmPrompt_No_CancelsWithoutResult()
    {
        await BeginAsync();
        await SendAsync("电梯不动");
        await SendAsync("紧急");
        await SendAsync("没有");

        var turn = await SendAsync("不对");

        Assert.Equal("好的，这次不提交了。", Assert.Single(turn.Replies).Text);
        Assert.Empty(_results);
        Assert.Null(await _store.LoadAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task AttachmentPrompt_TextInsteadOfPhoto_Reprompts()
    {
        await BeginAsync();
        await SendAsync("电梯不动");
        await SendAsync("紧急");

        var turn = await SendAsync("照片稍后发");

        Assert.Equal("请发一张照片，没有的话回复「跳过」。", Assert.Single(turn.Replies).Text);
    }

    [Fact]
    public async Task TextPrompt_DialogRejectsAnswer_SaysWhyAndAsksAgain()
    {
        await BeginAsync();

        var turn = await SendAsync("灯");

        Assert.Equal(["再多说几个字吧，比如“3号楼2单元楼道灯不亮”。", "哪里坏了？"], turn.Replies.Select(r => r.Text));
    }

    [Fact]
    public async Task Help_MidDialog_ExplainsAndKeepsWaiting()
    {
        await BeginAsync();
        await SendAsync("电梯不动");

        var help = await SendAsync("帮助");

        Assert.Equal(["紧急的事会优先处理。", "请选择紧急程度："], help.Replies.Select(r => r.Text));
        await SendAsync("紧急");
        await SendAsync("跳过");
        await SendAsync("是");
        Assert.Equal("紧急", Assert.Single(_results).Urgency);
    }

    [Theory]
    [InlineData("取消")]
    [InlineData("算了。")]
    public async Task Cancel_AtAnyStep_ClearsState(string word)
    {
        await BeginAsync();
        await SendAsync("电梯不动");

        var turn = await SendAsync(word);

        Assert.Equal(ContinueResult.Handled, turn.Result);
        Assert.Contains("已取消", Assert.Single(turn.Replies).Text);
        Assert.Null(await _store.LoadAsync(Key, CancellationToken.None));
        Assert.Empty(_results);
    }

    [Fact]
    public async Task Human_MidDialog_EndsDialogAndReportsRequest()
    {
        await BeginAsync();

        var turn = await SendAsync("转人工");

        Assert.Equal(ContinueResult.HumanRequested, turn.Result);
        Assert.Empty(turn.Replies);
        Assert.Null(await _store.LoadAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task LongMessageContainingCancelWord_IsAnAnswerNotACancel()
    {
        await BeginAsync();

        await SendAsync("取消了的快递柜坏了");

        Assert.Equal(RepairDialog.Step.Urgency.ToString(), (await _store.LoadAsync(Key, CancellationToken.None))!.Step);
    }

    [Fact]
    public async Task AbandonedDialog_AfterExpiry_IsForgottenQuietly()
    {
        await BeginAsync();
        _now += TimeSpan.FromMinutes(31);

        var turn = await SendAsync("紧急");

        Assert.Equal(ContinueResult.NoActiveDialog, turn.Result);
        Assert.Empty(turn.Replies);
        Assert.Null(await _store.LoadAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task ActiveDialog_WithinExpiry_Continues()
    {
        await BeginAsync();
        _now += TimeSpan.FromMinutes(29);

        var turn = await SendAsync("电梯不动");

        Assert.Equal(ContinueResult.Handled, turn.Result);
        Assert.Equal("请选择紧急程度：", Assert.Single(turn.Replies).Text);
    }

    [Fact]
    public async Task RepeatedInvalidAnswers_GiveUpAfterMaxAttempts()
    {
        await BeginAsync();
        await SendAsync("电梯不动");
        await SendAsync("啊");
        await SendAsync("哦");

        var turn = await SendAsync("嗯嗯嗯嗯嗯");

        Assert.Contains("没能理解", Assert.Single(turn.Replies).Text);
        Assert.Null(await _store.LoadAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task OpenChoice_OtherInput_FallsThroughAndEndsDialog()
    {
        var dialogs = new DialogSet().Add(new PickDialog(), (_, _, _) => Task.CompletedTask);
        var runner = new DialogRunner(dialogs, _store, MsOptions.Create(new DialogOptions()));
        var begin = new TurnContext(Message("看看"), _now);
        await runner.BeginAsync(begin, PickDialog.DialogId, null, CancellationToken.None);

        var turn = new TurnContext(Message("垃圾分类怎么分"), _now);
        var result = await runner.ContinueAsync(turn, CancellationToken.None);

        Assert.Equal(ContinueResult.FellThrough, result);
        Assert.Null(await _store.LoadAsync(Key, CancellationToken.None));
    }

    private const string Key = "test/c1/alice";

    private async Task<TurnContext> BeginAsync()
    {
        var turn = new TurnContext(Message("报修"), _now);
        await _runner.BeginAsync(turn, RepairDialog.DialogId, null, CancellationToken.None);
        return turn;
    }

    private async Task<(ContinueResult Result, IReadOnlyList<OutboundMessage> Replies)> SendAsync(
        string text = "", IReadOnlyList<InboundAttachment>? attachments = null)
    {
        var turn = new TurnContext(Message(text, attachments), _now);
        var result = await _runner.ContinueAsync(turn, CancellationToken.None);
        return (result, turn.Replies);
    }

    private InboundMessage Message(string text, IReadOnlyList<InboundAttachment>? attachments = null) => new()
    {
        Id = "m" + ++_counter,
        Conversation = new ConversationReference { Channel = "test", ConversationId = "c1", UserId = "alice", IsGroup = true },
        Text = text,
        AddressedToBot = true,
        Attachments = attachments ?? [],
        Timestamp = _now,
    };

    private sealed class MemoryStateStore : IDialogStateStore
    {
        private readonly Dictionary<string, string> _states = [];

        public Task<DialogState?> LoadAsync(string key, CancellationToken cancellationToken) =>
            Task.FromResult(_states.TryGetValue(key, out var json)
                ? System.Text.Json.JsonSerializer.Deserialize<DialogState>(json, DialogJson.Options)
                : null);

        public Task SaveAsync(string key, DialogState state, CancellationToken cancellationToken)
        {
            _states[key] = System.Text.Json.JsonSerializer.Serialize(state, DialogJson.Options);
            return Task.CompletedTask;
        }

        public Task DeleteAsync(string key, CancellationToken cancellationToken)
        {
            _states.Remove(key);
            return Task.CompletedTask;
        }
    }
}

/// <summary>The result of the test dialog.</summary>
public sealed record RepairRequest(string What, string Urgency, int Photos);

/// <summary>State of the test dialog.</summary>
public sealed class RepairState
{
    public string What { get; set; } = "";
    public string Urgency { get; set; } = "";
    public int Photos { get; set; }
}

/// <summary>A four-step test dialog using every prompt kind.</summary>
public sealed class RepairDialog : Dialog<RepairDialog.Step, RepairState, RepairRequest>
{
    public const string DialogId = "repair";

    public enum Step
    {
        What,
        Urgency,
        Photo,
        Confirm,
    }

    public override string Id => DialogId;

    protected override Task<DialogTurn<RepairRequest>> BeginAsync(TurnContext turn, RepairState state, CancellationToken cancellationToken) =>
        Task.FromResult(DialogTurn<RepairRequest>.Ask(Step.What, Prompt.ForText("哪里坏了？")));

    protected override Task<DialogTurn<RepairRequest>> OnAnswerAsync(
        TurnContext turn, RepairState state, Step step, PromptAnswer answer, CancellationToken cancellationToken)
    {
        DialogTurn<RepairRequest> next;
        switch (step)
        {
            case Step.What when answer.Text.Length < 3:
                next = DialogTurn<RepairRequest>.Retry("再多说几个字吧，比如“3号楼2单元楼道灯不亮”。");
                break;
            case Step.What:
                state.What = answer.Text;
                next = DialogTurn<RepairRequest>.Ask(Step.Urgency, Prompt.ForChoice(
                    "请选择紧急程度：", [new CardAction("紧急", "紧急"), new CardAction("一般", "一般")], retryText: "请点按钮选择：紧急 或 一般。"));
                break;
            case Step.Urgency:
                state.Urgency = answer.Choice!.Value;
                next = DialogTurn<RepairRequest>.Ask(Step.Photo, Prompt.ForAttachment("有照片吗？", optional: true));
                break;
            case Step.Photo:
                state.Photos = answer.Attachments.Count;
                next = DialogTurn<RepairRequest>.Ask(Step.Confirm, Prompt.ForConfirm($"确认提交：{state.What}（{state.Urgency}）？"));
                break;
            default:
                next = answer.Confirmed == true
                    ? DialogTurn<RepairRequest>.Complete(new RepairRequest(state.What, state.Urgency, state.Photos))
                    : DialogTurn<RepairRequest>.Cancel("好的，这次不提交了。");
                break;
        }

        return Task.FromResult(next);
    }

    protected override string HelpFor(Step step) => step == Step.Urgency ? "紧急的事会优先处理。" : base.HelpFor(step);
}

/// <summary>A one-step dialog with an open choice (other input falls through).</summary>
public sealed class PickDialog : Dialog<PickDialog.Step, RepairState, string>
{
    public const string DialogId = "pick";

    public enum Step
    {
        Pick,
    }

    public override string Id => DialogId;

    protected override Task<DialogTurn<string>> BeginAsync(TurnContext turn, RepairState state, CancellationToken cancellationToken) =>
        Task.FromResult(DialogTurn<string>.Ask(Step.Pick, Prompt.ForChoice("选一个：", [new CardAction("甲", "a")], allowOtherInput: true)));

    protected override Task<DialogTurn<string>> OnAnswerAsync(
        TurnContext turn, RepairState state, Step step, PromptAnswer answer, CancellationToken cancellationToken) =>
        Task.FromResult(DialogTurn<string>.Complete(answer.Choice!.Value));
}
