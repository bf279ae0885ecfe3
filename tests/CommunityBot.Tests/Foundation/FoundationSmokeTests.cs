using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Schema;
using Microsoft.Recognizers.Text;
using Microsoft.Recognizers.Text.DateTime;

namespace CommunityBot.Tests.Foundation;

/// <summary>
/// The assemblies Foundation.props brings in by PackageDownload + Reference load and work on this runtime: a turn runs
/// through Bot Builder's adapter and bot types, and the Chinese date-time recognizer resolves a phrase residents use.
/// </summary>
public sealed class FoundationSmokeTests
{
    [Fact]
    public async Task BotBuilder_TurnRunsThroughAdapterAndActivityHandler()
    {
        var adapter = new EchoAdapter();
        var activity = new Activity(ActivityTypes.Message) { Text = "物业电话多少", ChannelId = "test",
            Conversation = new ConversationAccount(id: "g1"), From = new ChannelAccount("u1"), Recipient = new ChannelAccount("bot") };

        await adapter.ProcessActivityAsync(activity, new EchoBot(), CancellationToken.None);

        Assert.Equal(["回声：物业电话多少"], adapter.Sent.Select(a => a.Text));
        Assert.Equal(4, typeof(CloudAdapter).Assembly.GetName().Version!.Major);
    }

    [Fact]
    public void Recognizers_ChineseDateTime_ResolvesYesterdayTenPm()
    {
        var reference = new DateTime(2026, 12, 2, 9, 0, 0);

        var results = DateTimeRecognizer.RecognizeDateTime("昨晚十点", Culture.Chinese, refTime: reference);

        var values = (IList<Dictionary<string, string>>)Assert.Single(results).Resolution["values"];
        Assert.Contains(values, v => v.TryGetValue("value", out var value) && value == "2026-12-01 22:00:00");
    }

    private sealed class EchoBot : ActivityHandler
    {
        protected override Task OnMessageActivityAsync(ITurnContext<IMessageActivity> turnContext, CancellationToken cancellationToken) =>
            turnContext.SendActivityAsync(MessageFactory.Text("回声：" + turnContext.Activity.Text), cancellationToken);
    }

    private sealed class EchoAdapter : BotAdapter
    {
        public List<Activity> Sent { get; } = [];

        public Task ProcessActivityAsync(Activity activity, IBot bot, CancellationToken cancellationToken) =>
            RunPipelineAsync(new TurnContext(this, activity), bot.OnTurnAsync, cancellationToken);

        public override Task<ResourceResponse[]> SendActivitiesAsync(ITurnContext turnContext, Activity[] activities, CancellationToken cancellationToken)
        {
            Sent.AddRange(activities);
            return Task.FromResult(activities.Select(_ => new ResourceResponse(Guid.NewGuid().ToString())).ToArray());
        }

        public override Task<ResourceResponse> UpdateActivityAsync(ITurnContext turnContext, Activity activity, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public override Task DeleteActivityAsync(ITurnContext turnContext, ConversationReference reference, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
