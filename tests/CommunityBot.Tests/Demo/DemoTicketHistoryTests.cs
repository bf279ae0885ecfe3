using CommunityBot.Clocks;
using CommunityBot.Demo;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Directory;
using CommunityBot.Storage;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CommunityBot.Tests.Demo;

/// <summary>The demo history is one write: a seeding stopped part-way keeps nothing, not even its mark, and the next seeds it all.</summary>
public sealed class DemoTicketHistoryTests
{
    [Fact]
    public async Task Seed_StoppedPartWay_KeepsNoTicketTimerOrMark_AndTheNextStartSeedsItAll()
    {
        using var app = new BotApplication(new() { ["Demo:Tickets"] = "false" });
        var services = app.Services;
        var store = services.GetRequiredService<TicketStore>();
        var marks = services.GetRequiredService<IConversationMemory>();
        var now = app.Time.GetUtcNow();
        using var stop = new CancellationTokenSource();
        // The 60th report is being filed when the start is cancelled: 59 tickets and their steps are written by then.
        var history = new DemoTicketHistory(
            store, new CancelOnAssign(services.GetRequiredService<ITicketAssignment>(), 60, stop), services.GetRequiredService<GridDirectory>(),
            services.GetRequiredService<TicketClock>(), services.GetRequiredService<LiteDbWriter>(),
            services.GetRequiredService<IOptions<TicketOptions>>(), NullLogger<DemoTicketHistory>.Instance);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            history.SeedAsync(now, 7, () => marks.MarkOnceAsync(DemoSeeder.TicketsMark, CancellationToken.None), stop.Token));

        Assert.True(stop.IsCancellationRequested);
        Assert.Empty(store.All());
        Assert.Equal(0, services.GetRequiredService<TicketClock>().Timers!.Count());
        Assert.Empty(app.Database.GetCollection("counters").FindAll());
        Assert.Empty(app.Database.GetCollection("conversation_marks").Find(Query.EQ("_id", DemoSeeder.TicketsMark)));

        var whole = services.GetRequiredService<DemoTicketHistory>();
        var opened = await whole.SeedAsync(now, 7, () => marks.MarkOnceAsync(DemoSeeder.TicketsMark, CancellationToken.None), CancellationToken.None);

        Assert.InRange(opened, 61, 1000);
        Assert.Equal(opened, store.All().Count);
        Assert.NotEmpty(app.Database.GetCollection("conversation_marks").Find(Query.EQ("_id", DemoSeeder.TicketsMark)));
    }

    private sealed class CancelOnAssign(ITicketAssignment inner, int at, CancellationTokenSource stop) : ITicketAssignment
    {
        private int _calls;

        public Assignment Assign(string? compoundId, string? building, string category, DateTimeOffset when)
        {
            if (++_calls == at)
            {
                stop.Cancel();
                stop.Token.ThrowIfCancellationRequested();
            }

            return inner.Assign(compoundId, building, category, when);
        }

        public Assignment Supervisor(string? gridId, DateTimeOffset when) => inner.Supervisor(gridId, when);

        public WorkerIdentity? FindWorkerNamed(string text) => inner.FindWorkerNamed(text);

        public WorkerIdentity? FindWorker(string channel, string userId) => inner.FindWorker(channel, userId);

        public ConversationReference? PrivateAddressOf(string workerId, ConversationReference origin) => inner.PrivateAddressOf(workerId, origin);
    }
}
