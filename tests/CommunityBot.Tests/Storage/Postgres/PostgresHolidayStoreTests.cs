using CommunityBot.Clocks;
using CommunityBot.Storage;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Clocks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The holiday calendar contract (<see cref="HolidayStoreContractTests"/>) on <see cref="PostgresHolidayStore"/>, each edit
/// in a transaction of its own, and across two instances (each its own data source, knowledge versions and listener): a day
/// added through A is counted by B's clock once B has loaded the calendar again; a rolled-back edit changes nothing on B;
/// two instances starting at once seed the calendar once. Every wait is for an event (B's reload); the 30 s bound only
/// stops a broken build from hanging the run.
/// </summary>
[PostgresTests]
public sealed class PostgresHolidayStoreTests(PostgresDatabase database) : HolidayStoreContractTests, IClassFixture<PostgresDatabase>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _listeners = [];
    private NpgsqlDataSource _source = null!;
    private PostgresHolidayStore _holidays = null!;

    public override async Task InitializeAsync()
    {
        _source = database.NewDataSource();
        _holidays = new PostgresHolidayStore(_source, new KnowledgeChanges(), NullLogger<PostgresHolidayStore>.Instance);
        await using var command = _source.CreateCommand("TRUNCATE holidays");
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_listeners);
        _stop.Dispose();
        _holidays.Dispose();
    }

    [PostgresFact]
    public async Task DayAddedThroughA_IsCountedByBsClockOnceBReloaded()
    {
        var b = await ListeningInstanceAsync();
        var clock = TicketClock.KeepingTimersElsewhere(new ClockOptions(), b);
        var monday = new DateOnly(2026, 12, 7);
        Assert.True(clock.Calendar.IsWorkingDay(monday));

        var reloaded = LoadedAsync(b, new DateOnly(2026, 12, 7));
        await InTransactionAsync(t => _holidays.PutAsync(new Holiday { Date = "2026-12-07", Name = "临时停工" }, t, CancellationToken.None));
        await reloaded.WaitAsync(Bound);

        Assert.False(clock.Calendar.IsWorkingDay(monday));
    }

    [PostgresFact]
    public async Task RolledBackEdit_ChangesNothingOnB()
    {
        var b = await ListeningInstanceAsync();
        await using (var connection = await _source.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await _holidays.PutAsync(new Holiday { Date = "2026-12-07", Name = "没有提交" }, transaction, CancellationToken.None);
            await transaction.RollbackAsync();
        }

        // A committed edit after it: once B has loaded that, the rolled-back one would have been seen too.
        var reloaded = LoadedAsync(b, new DateOnly(2026, 12, 8));
        await InTransactionAsync(t => _holidays.PutAsync(new Holiday { Date = "2026-12-08", Name = "标记" }, t, CancellationToken.None));
        await reloaded.WaitAsync(Bound);

        Assert.Equal([new DateOnly(2026, 12, 8)], b.Overrides().Keys);
    }

    [PostgresFact]
    public async Task TwoInstancesStartingAtOnce_SeedTheCalendarOnce()
    {
        HolidaySeed[] seeds = [new() { Date = "2026-10-01", To = "2026-10-07", Name = "国庆节" }];
        var stores = Enumerable.Range(0, 4)
            .Select(_ => new PostgresHolidayStore(database.NewDataSource(), new KnowledgeChanges(), NullLogger<PostgresHolidayStore>.Instance))
            .ToList();

        var written = await Task.WhenAll(stores.Select(s => Task.Run(() => s.SeedIfEmptyAsync(seeds, CancellationToken.None))));

        Assert.Equal([0, 0, 0, 7], written.Order());
        Assert.Equal(7, (await _holidays.AllAsync(CancellationToken.None)).Count);
        foreach (var store in stores)
        {
            store.Dispose();
        }
    }

    [PostgresFact]
    public void Calendar_ReadBeforeStart_SaysSo()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _holidays.Overrides());
        Assert.Contains("StartAsync", error.Message, StringComparison.Ordinal);
    }

    protected override Task PutAsync(Holiday holiday) => InTransactionAsync(t => _holidays.PutAsync(holiday, t, CancellationToken.None));

    protected override async Task<bool> RemoveAsync(DateOnly date)
    {
        var removed = false;
        await InTransactionAsync(async t => removed = await _holidays.RemoveAsync(date, t, CancellationToken.None));
        return removed;
    }

    protected override Task<int> SeedIfEmptyAsync(IEnumerable<HolidaySeed> seeds) => _holidays.SeedIfEmptyAsync(seeds, CancellationToken.None);

    protected override Task<IReadOnlyList<Holiday>> AllAsync() => _holidays.AllAsync(CancellationToken.None);

    // No listener here: the contract's reads load the calendar as it stands.
    protected override async Task<IReadOnlyDictionary<DateOnly, bool>> OverridesAsync()
    {
        await _holidays.LoadAsync(CancellationToken.None);
        return _holidays.Overrides();
    }

    // Instance B: its own data source, knowledge versions and listener, started once it listens.
    private async Task<PostgresHolidayStore> ListeningInstanceAsync()
    {
        var source = database.NewDataSource();
        var changes = new KnowledgeChanges();
        var store = new PostgresHolidayStore(source, changes, NullLogger<PostgresHolidayStore>.Instance);
        var listener = new PostgresKnowledgeListener(source, changes, new FakeTimeProvider(), NullLogger<PostgresKnowledgeListener>.Instance);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Listening += () => listening.TrySetResult();
        _listeners.Add(listener.RunAsync(_stop.Token));
        await listening.Task.WaitAsync(Bound);
        await store.StartAsync([], CancellationToken.None);
        return store;
    }

    // Completes once a copy holding the day is in use (a reload for an earlier notification may come first).
    private static Task LoadedAsync(PostgresHolidayStore store, DateOnly day)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Reloaded += () =>
        {
            if (store.Overrides().ContainsKey(day))
            {
                signal.TrySetResult();
            }
        };
        return signal.Task;
    }

    private async Task InTransactionAsync(Func<NpgsqlTransaction, Task> work)
    {
        await using var connection = await _source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await work(transaction);
        await transaction.CommitAsync();
    }
}
