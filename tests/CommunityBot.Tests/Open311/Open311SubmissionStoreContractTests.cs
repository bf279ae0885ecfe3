using CommunityBot.Open311;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Open311;

/// <summary>
/// What every store of Open311 extras promises (<see cref="LiteDbOpen311SubmissionStoreTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresOpen311SubmissionStoreTests"/> on PostgreSQL): a submission read back as written by its
/// ticket's number, and a ticket's first submission kept, a later one not. Each concrete class starts every test on an empty store.
/// </summary>
public abstract class Open311SubmissionStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTime T0 = new(2026, 12, 4, 2, 0, 0, DateTimeKind.Utc);

    /// <summary>Stores the submission unless its ticket has one, in a commit of its own.</summary>
    protected abstract Task InsertAsync(Open311Submission submission);

    protected abstract Task<Open311Submission?> FindAsync(string ticketNumber);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Insert_ThenFind_ReadsBackEveryField()
    {
        await InsertAsync(new Open311Submission
        {
            TicketNumber = "WT20261204-0001",
            Lat = 31.2304,
            Long = 121.4737,
            MediaUrl = "https://files.example.org/p.jpg",
            Email = "resident@example.org",
            SubmittedAt = T0,
        });

        var stored = await FindAsync("WT20261204-0001");
        Assert.NotNull(stored);
        Assert.Equal(
            ((double?)31.2304, (double?)121.4737, "https://files.example.org/p.jpg", "resident@example.org", T0),
            (stored.Lat, stored.Long, stored.MediaUrl, stored.Email, stored.SubmittedAt.ToUniversalTime()));
        Assert.Null(await FindAsync("WT20261204-0002"));
    }

    [ContractFact]
    public async Task Insert_TicketHasOneAlready_KeepsTheFirst()
    {
        await InsertAsync(new Open311Submission { TicketNumber = "WT20261204-0001", Email = "first@example.org", SubmittedAt = T0 });

        await InsertAsync(new Open311Submission { TicketNumber = "WT20261204-0001", Email = "second@example.org", Lat = 1, SubmittedAt = T0.AddMinutes(1) });

        var stored = await FindAsync("WT20261204-0001");
        Assert.Equal(("first@example.org", (double?)null), (stored?.Email, stored?.Lat));
    }
}
