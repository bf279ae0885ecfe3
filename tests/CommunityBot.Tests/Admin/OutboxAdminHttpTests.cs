using System.Net;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Notifications;
using CommunityBot.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using static CommunityBot.Tests.Admin.AdminTestKit;

namespace CommunityBot.Tests.Admin;

/// <summary>投递情况: the office sees how many messages wait and which failed, without who they were for or what they said.</summary>
public sealed class OutboxAdminHttpTests : IDisposable
{
    private readonly BotApplication _app = new();
    private readonly HttpClient _client;

    public OutboxAdminHttpTests()
    {
        _client = Client(_app);
        CreateAccounts(_app);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task OutboxPage_Admin_SeesCountsAndFailuresWithoutAddressOrText()
    {
        var outbox = _app.Services.GetRequiredService<Outbox>();
        await outbox.SendAsync(
            new ConversationReference { Channel = "nowhere", ConversationId = "resident-zhang-room-501" },
            OutboundMessage.Plain("张先生 13800000000 的工单已受理"), CancellationToken.None);
        await _app.DeliverAsync();
        await LoginAsync(_client, Boss);

        var page = await _client.GetStringAsync("/admin/outbox");

        Assert.Contains("<strong id=\"outbox-pending\">0</strong>", page);
        Assert.Contains("<strong id=\"outbox-failed\">1</strong>", page);
        Assert.Contains("<td data-label=\"渠道\">nowhere</td>", page);
        Assert.Contains("No channel client delivers to", page);
        Assert.DoesNotContain("13800000000", page);
        Assert.DoesNotContain("resident-zhang", page);
        Assert.Contains("href=\"/admin/outbox\"", page);
    }

    [Theory]
    [InlineData(LiuAn)]
    [InlineData(WangFang)]
    public async Task OutboxPage_CommunityStaffOrWorker_Returns403(string name)
    {
        await LoginAsync(_client, name);

        var response = await _client.GetAsync("/admin/outbox");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
