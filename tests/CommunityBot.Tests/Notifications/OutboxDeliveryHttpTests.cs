using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommunityBot.Broadcasts;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityBot.Tests.Notifications;

/// <summary>
/// Through the real host: Teams questions in at <c>/api/messages</c>, answers out at the fake Connector, with the
/// outbox's brakes — a conversation's 429, a hanging endpoint, a broadcast, undeliverable entries — holding up nobody else.
/// </summary>
public sealed class OutboxDeliveryHttpTests : IDisposable
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/apac/";

    // A hang guard only: every wait below ends on a signal, not on time; this only turns a regression into a failure.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public OutboxDeliveryHttpTests()
    {
        _client = _app.CreateClient();
        _app.UseTestKnowledgeBase();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private Outbox Outbox => _app.Services.GetRequiredService<Outbox>();

    [Fact]
    public async Task Connector429WithRetryAfter_DelaysOnlyThatConversation_ThenDeliversWithoutCountingAnAttempt()
    {
        var throttled = 0;
        _app.Connector.Respond = (request, _) => Task.FromResult(
            IsTo(request, "19:busy@thread.skype") && Interlocked.Increment(ref throttled) == 1 ? TooManyRequests(TimeSpan.FromSeconds(30)) : null);
        await AskAsync("19:busy@thread.skype", "a1");
        await AskAsync("19:calm@thread.skype", "b1");

        Assert.Equal(1, await _app.DeliverAsync());

        Assert.Equal(DemoKnowledgeBase.PropertyPhoneAnswer, Assert.Single(CallsTo("19:calm@thread.skype")).Text);
        Assert.Single(CallsTo("19:busy@thread.skype")); // the one the Connector refused with 429
        var waiting = Assert.Single(Outbox.All());
        Assert.Equal("msteams/19:busy@thread.skype", waiting.ConversationKey);
        Assert.Equal(0, waiting.Attempts); // the channel's "wait" is not a failure
        Assert.Equal(OutboxStatus.Pending, waiting.Status);

        // Another question in the calm conversation meanwhile is answered at once.
        await AskAsync("19:calm@thread.skype", "b2");
        Assert.Equal(1, await _app.DeliverAsync());
        Assert.Equal(2, CallsTo("19:calm@thread.skype").Count);

        _app.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await _app.DeliverAsync());
        Assert.Equal(1, throttled);

        _app.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _app.DeliverAsync());
        Assert.Equal(2, CallsTo("19:busy@thread.skype").Count);
        Assert.Equal(DemoKnowledgeBase.PropertyPhoneAnswer, CallsTo("19:busy@thread.skype")[1].Text);
        Assert.Empty(Outbox.All());
    }

    [Fact]
    public async Task HangingEndpoint_TimesOutAlone_WhileOtherConversationsAreAnsweredAndMarkedDelivered()
    {
        var calmArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var laterArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _app.Connector.Respond = async (request, cancellationToken) =>
        {
            if (IsTo(request, "19:dead@thread.skype"))
            {
                await Task.Delay(Timeout.Infinite, cancellationToken); // never answers; only the send timeout ends it
            }

            (IsTo(request, "19:calm@thread.skype") ? calmArrived : laterArrived).TrySetResult();
            return null;
        };
        await AskAsync("19:dead@thread.skype", "d1");
        await AskAsync("19:calm@thread.skype", "c1");

        var round = _app.DeliverAsync();
        await calmArrived.Task.WaitAsync(Guard);

        // A question that comes in while the dead endpoint hangs is sent at once: nothing waits for the slowest send.
        await AskAsync("19:later@thread.skype", "l1");
        _app.Services.GetRequiredService<OutboxDispatcher>().Start(CancellationToken.None);
        await laterArrived.Task.WaitAsync(Guard);
        Assert.False(round.IsCompleted);
        // Each conversation's delivered messages are deleted right after its send, not at the end of a round.
        Assert.True(SpinWait.SpinUntil(() => Outbox.All().Count == 1, Guard));
        Assert.Equal("msteams/19:dead@thread.skype", Assert.Single(Outbox.All()).ConversationKey);

        _app.Time.Advance(TimeSpan.FromSeconds(10)); // Outbox:SendTimeout
        await round.WaitAsync(Guard);

        var dead = Assert.Single(Outbox.All());
        Assert.Equal(1, dead.Attempts);
        Assert.Contains("longer than", dead.LastError);
        Assert.Single(CallsTo("19:calm@thread.skype"));
        Assert.Single(CallsTo("19:later@thread.skype"));
    }

    [Fact]
    public async Task BroadcastTo500Groups_DoesNotDelayAResidentsAnswer_AndIsPacedBelowTeamsLimits()
    {
        var groups = Enumerable.Range(0, 500).Select(i => Group($"19:group-{i}@thread.skype")).ToList();
        await _app.Services.GetRequiredService<BroadcastService>().SendAsync("boss", "明天上午9点至12点停水，请提前储水。", groups, "req-1");
        await AskAsync("19:resident@thread.skype", "r1");

        await _app.DeliverAsync();

        var calls = _app.Connector.Calls;
        var answer = calls.ToList().FindIndex(c => c.Text == DemoKnowledgeBase.PropertyPhoneAnswer);
        Assert.InRange(answer, 0, 20); // behind at most the one second's burst of bulk sends that may run beside it
        Assert.InRange(calls.Count(c => c.Text != DemoKnowledgeBase.PropertyPhoneAnswer), 1, 20); // 20 a second (Teams: 50/s per tenant)

        for (var second = 0; second < 30 && Outbox.All().Count > 0; second++)
        {
            _app.Time.Advance(TimeSpan.FromSeconds(1));
            var before = _app.Connector.Calls.Count;
            await _app.DeliverAsync();
            Assert.InRange(_app.Connector.Calls.Count - before, 0, 20);
        }

        Assert.Empty(Outbox.All());
        Assert.Equal(500, _app.Connector.Calls.Count(c => c.Text == "明天上午9点至12点停水，请提前储水。"));
    }

    [Fact]
    public async Task BurstOfUndeliverableEntries_FailAtOnce_AndANormalQuestionIsAnsweredAtOnce()
    {
        var outbox = Outbox;
        var bad = Enumerable.Range(0, 1000).Select(i => outbox.Create(
            new ConversationReference { Channel = i % 2 == 0 ? "\\..\\.." : "msteams", ConversationId = "fuzz-" + i, ServiceUrl = i % 2 == 0 ? null : "not a url" },
            OutboundMessage.Plain("x"))).ToList();
        await _app.Services.GetRequiredService<LiteDbWriter>().WriteAsync(_ => outbox.Insert(bad));
        await AskAsync("19:resident@thread.skype", "r1");

        Assert.Equal(1, await _app.DeliverAsync());

        Assert.Equal(DemoKnowledgeBase.PropertyPhoneAnswer, Assert.Single(CallsTo("19:resident@thread.skype")).Text);
        var failed = outbox.All();
        Assert.Equal(1000, failed.Count);
        Assert.All(failed, m => Assert.Equal(OutboxStatus.Failed, m.Status));
        Assert.All(failed, m => Assert.Equal(0, m.Attempts)); // failed for good at once, never retried
        Assert.Contains(failed, m => m.LastError!.Contains("No channel client delivers to", StringComparison.Ordinal));

        // Nothing is retried later either.
        _app.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await _app.DeliverAsync());
        Assert.Single(_app.Connector.Calls);
    }

    private async Task AskAsync(string conversationId, string activityId)
    {
        var activity = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "teams-group-mention.json")))!;
        activity["id"] = activityId;
        activity["conversation"]!["id"] = conversationId;
        var response = await _client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"POST /api/messages answered {(int)response.StatusCode}");
    }

    /// <summary>The calls to a conversation's activities, refused (429) or hung ones included.</summary>
    private List<ConnectorCall> CallsTo(string conversationId) =>
        _app.Connector.Calls.Where(c => c.Body?["conversation"]?["id"]?.GetValue<string>() == conversationId && c.Text is not null).ToList();

    private static bool IsTo(HttpRequestMessage request, string conversationId) =>
        Uri.UnescapeDataString(request.RequestUri!.AbsolutePath).Contains($"/v3/conversations/{conversationId}/", StringComparison.Ordinal);

    private static HttpResponseMessage TooManyRequests(TimeSpan retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(retryAfter);
        return response;
    }

    private static ChatGroup Group(string conversationId) => new()
    {
        Key = $"msteams/{conversationId}",
        Channel = "msteams",
        ConversationId = conversationId,
        Reference = JsonSerializer.Serialize(
            new ConversationReference { Channel = "msteams", ConversationId = conversationId, IsGroup = true, ServiceUrl = ServiceUrl, BotId = "28:bot" },
            DialogJson.Options),
    };
}
