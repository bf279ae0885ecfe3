using CommunityBot.Clocks;
using Npgsql;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="HolidayStore"/> on PostgreSQL (table <c>holidays</c>), shared by every instance, so each counts its deadlines
/// on the same working days. Each edit sends <c>NOTIFY knowledge</c> with <c>holidays</c> in its transaction; on every
/// instance, <see cref="PostgresKnowledgeListener"/> moves the topic in <see cref="KnowledgeChanges"/> and this store loads
/// the calendar again, so an edit made through one instance is counted by all of them moments after its commit.
/// </summary>
/// <remarks>
/// <see cref="TicketClock"/> reads the calendar synchronously on every deadline, so the store keeps the last loaded copy in
/// memory (<see cref="Overrides"/>, <see cref="Version"/>) and loads it on <see cref="StartAsync"/> and after each change.
/// A load that overlaps a change is loaded again, so the copy kept is never older than the last change known here. A
/// failed load keeps the previous copy (logged): the next change, or the listener's reconnection, loads again.
/// </remarks>
public sealed partial class PostgresHolidayStore : IHolidayCalendar, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly KnowledgeChanges _changes;
    private readonly ILogger<PostgresHolidayStore> _logger;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private Loaded? _loaded;

    public PostgresHolidayStore(NpgsqlDataSource dataSource, KnowledgeChanges changes, ILogger<PostgresHolidayStore> logger)
    {
        _dataSource = dataSource;
        _changes = changes;
        _logger = logger;
        _changes.Changed += OnChanged;
    }

    /// <summary>Raised after a new copy of the calendar is in use (on the loading thread; handlers must be quick).</summary>
    public event Action? Reloaded;

    /// <summary>Moves each time a new copy of the calendar is loaded.</summary>
    public long Version => Current.Version;

    public IReadOnlyDictionary<DateOnly, bool> Overrides() => Current.Overrides;

    private Loaded Current => Volatile.Read(ref _loaded)
        ?? throw new InvalidOperationException("The holiday calendar has not been loaded yet: call StartAsync first.");

    /// <summary>Seeds an empty calendar with the configured days (once, whichever instance starts first), then loads it.</summary>
    public async Task StartAsync(IEnumerable<HolidaySeed> seeds, CancellationToken cancellationToken)
    {
        await SeedIfEmptyAsync(seeds, cancellationToken).ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every day of the calendar, by date.</summary>
    public async Task<IReadOnlyList<Holiday>> AllAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT date, name, is_workday FROM holidays ORDER BY date");
        var days = new List<Holiday>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            days.Add(new Holiday { Date = reader.GetString(0), Name = reader.GetString(1), IsWorkday = reader.GetBoolean(2) });
        }

        return days;
    }

    /// <summary>Adds or replaces the day in <paramref name="transaction"/>.</summary>
    public async Task PutAsync(Holiday holiday, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holiday);
        if (!Holiday.TryParseDate(holiday.Date, out _))
        {
            throw new ArgumentException($"A holiday's date must be yyyy-MM-dd, not \"{holiday.Date}\".", nameof(holiday));
        }

        await using var command = new NpgsqlCommand("""
            INSERT INTO holidays (date, name, is_workday) VALUES (@date, @name, @is_workday)
            ON CONFLICT (date) DO UPDATE SET name = excluded.name, is_workday = excluded.is_workday
            """, PostgresKnowledge.ConnectionOf(transaction), transaction);
        command.Parameters.AddWithValue("date", holiday.Date);
        command.Parameters.AddWithValue("name", holiday.Name);
        command.Parameters.AddWithValue("is_workday", holiday.IsWorkday);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await PostgresKnowledge.NotifyAsync(transaction, KnowledgeTopic.Holidays, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the day in <paramref name="transaction"/>; false when it was not in the calendar.</summary>
    public async Task<bool> RemoveAsync(DateOnly date, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM holidays WHERE date = @date", PostgresKnowledge.ConnectionOf(transaction), transaction);
        command.Parameters.AddWithValue("date", Holiday.Format(date));
        var removed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        if (removed)
        {
            await PostgresKnowledge.NotifyAsync(transaction, KnowledgeTopic.Holidays, null, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    /// <summary>
    /// Writes the configured days into an empty calendar, in a transaction of its own that holds the table against other
    /// writers, so two instances starting at once seed it once; returns how many days were written (0: it was not empty).
    /// </summary>
    public async Task<int> SeedIfEmptyAsync(IEnumerable<HolidaySeed> seeds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var days = seeds.SelectMany(s => s.Days().Select(d => new Holiday { Date = Holiday.Format(d), Name = s.Name, IsWorkday = s.IsWorkday }))
            .DistinctBy(h => h.Date)
            .ToList();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var hold = new NpgsqlCommand(
            "LOCK TABLE holidays IN SHARE ROW EXCLUSIVE MODE; SELECT EXISTS (SELECT 1 FROM holidays)", connection, transaction))
        {
            if ((bool)(await hold.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! || days.Count == 0)
            {
                return 0;
            }
        }

        await using (var insert = new NpgsqlCommand(
            "INSERT INTO holidays (date, name, is_workday) SELECT * FROM unnest(@dates, @names, @workdays)", connection, transaction))
        {
            insert.Parameters.AddWithValue("dates", days.Select(d => d.Date).ToArray());
            insert.Parameters.AddWithValue("names", days.Select(d => d.Name).ToArray());
            insert.Parameters.AddWithValue("workdays", days.Select(d => d.IsWorkday).ToArray());
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await PostgresKnowledge.NotifyAsync(transaction, KnowledgeTopic.Holidays, null, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return days.Count;
    }

    /// <summary>Loads the calendar into memory (again, if a change came in while loading).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var version = _changes.VersionOf(KnowledgeTopic.Holidays);
                var overrides = (await AllAsync(cancellationToken).ConfigureAwait(false))
                    .Select(h => (ok: Holiday.TryParseDate(h.Date, out var d), d, h.IsWorkday))
                    .Where(x => x.ok)
                    .ToDictionary(x => x.d, x => x.IsWorkday);
                if (_changes.VersionOf(KnowledgeTopic.Holidays) == version)
                {
                    Volatile.Write(ref _loaded, new Loaded((Volatile.Read(ref _loaded)?.Version ?? 0) + 1, overrides));
                    break;
                }
            }
        }
        finally
        {
            _loading.Release();
        }

        Reloaded?.Invoke();
    }

    public void Dispose()
    {
        _changes.Changed -= OnChanged;
        _loading.Dispose();
    }

    // On the listener's thread: load elsewhere, and never throw back into it.
    private void OnChanged(KnowledgeChange change)
    {
        if (change.Topic != KnowledgeTopic.Holidays)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await LoadAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or ObjectDisposedException)
            {
                LogLoadFailed(e);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not load the holiday calendar after a change; the deadlines keep the previous one")]
    private partial void LogLoadFailed(Exception exception);

    private sealed record Loaded(long Version, IReadOnlyDictionary<DateOnly, bool> Overrides);
}
