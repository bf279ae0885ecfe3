using CommunityBot.Broadcasts;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Broadcasts;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The group registry contract (<see cref="GroupRegistryContractTests"/>) on <see cref="PostgresGroupRegistry"/>, each write
/// in a transaction of its own, and what only several instances can do: new groups recorded on two instances at once stay
/// within the limit, a rolled-back record leaves nothing, and the console's assignment through one instance is what the
/// other reads.
/// </summary>
[PostgresTests]
public sealed class PostgresGroupRegistryTests(PostgresDatabase database) : GroupRegistryContractTests, IClassFixture<PostgresDatabase>
{
    private NpgsqlDataSource _source = null!;
    private PostgresGroupRegistry _groups = null!;

    public override async Task InitializeAsync()
    {
        _source = database.NewDataSource();
        _groups = Registry(_source);
        await using var command = _source.CreateCommand("TRUNCATE chat_groups, resident_groups");
        await command.ExecuteNonQueryAsync();
    }

    [PostgresFact]
    public async Task NewGroupsOnTwoInstancesAtOnce_StayWithinTheLimit()
    {
        var instances = new[] { database.NewDataSource(), database.NewDataSource() }.Select(source => (Source: source, Registry: Registry(source))).ToList();
        for (var i = 0; i < MaxGroups; i++)
        {
            await RecordAsync(Group("old" + i), T0.AddMinutes(i));
        }

        // 16 new groups, half on each instance, all at once: each makes room by dropping the oldest unassigned group.
        var recorded = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            var (source, registry) = instances[i % 2];
            return InTransactionAsync(source, t => registry.RecordAsync(Group("new" + i), T0.AddHours(1), t, CancellationToken.None));
        })));

        Assert.All(recorded, Assert.True);
        var ids = (await AllAsync()).Select(g => g.ConversationId).ToList();
        Assert.Equal(MaxGroups, ids.Count);
        Assert.All(ids, id => Assert.StartsWith("new", id, StringComparison.Ordinal));
    }

    [PostgresFact]
    public async Task Record_RolledBack_LeavesNothing()
    {
        await using (var connection = await _source.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.True(await _groups.RecordAsync(Group("g1"), T0, transaction, CancellationToken.None));
            await _groups.RecordResidentAsync(Said("zhang", "g1"), T0, transaction, CancellationToken.None);
            await transaction.RollbackAsync();
        }

        Assert.Empty(await AllAsync());
        Assert.Null(await LastGroupOfAsync("test", "zhang"));
    }

    [PostgresFact]
    public async Task AssignmentThroughOneInstance_IsReadByTheOther()
    {
        var other = Registry(database.NewDataSource());
        await RecordAsync(Group("g1"), T0);
        Assert.Null((await other.FindAsync("test/g1", CancellationToken.None))?.CommunityId);

        await AssignAsync("test/g1", "幸福里业主群", "FH-01", "xingfuli");

        var seen = await other.FindAsync("test/g1", CancellationToken.None);
        Assert.Equal(("幸福里业主群", "FH-01"), (seen?.Name, seen?.CommunityId));
    }

    protected override Task<bool> RecordAsync(ConversationReference conversation, DateTimeOffset now) =>
        InTransactionAsync(_source, t => _groups.RecordAsync(conversation, now, t, CancellationToken.None));

    protected override Task RecordResidentAsync(InboundMessage message, DateTimeOffset now) =>
        InTransactionAsync(_source, async t =>
        {
            await _groups.RecordResidentAsync(message, now, t, CancellationToken.None);
            return true;
        });

    protected override Task<bool> AssignAsync(string key, string? name, string? communityId, string? compoundId) =>
        InTransactionAsync(_source, t => _groups.AssignAsync(key, name, communityId, compoundId, t, CancellationToken.None));

    protected override Task<bool> TieAsync(ConversationReference conversation, string name, string communityId, string? compoundId, DateTimeOffset now) =>
        InTransactionAsync(_source, t => _groups.TieAsync(conversation, name, communityId, compoundId, now, t, CancellationToken.None));

    protected override Task<ChatGroup?> FindAsync(string key) => _groups.FindAsync(key, CancellationToken.None);

    protected override Task<IReadOnlyList<ChatGroup>> AllAsync() => _groups.AllAsync(CancellationToken.None);

    protected override Task<ChatGroup?> LastGroupOfAsync(string channel, string userId) => _groups.LastGroupOfAsync(channel, userId, CancellationToken.None);

    private static PostgresGroupRegistry Registry(NpgsqlDataSource source) =>
        new(source, MsOptions.Create(new GroupRegistryOptions { MaxGroups = MaxGroups }));

    private static async Task<bool> InTransactionAsync(NpgsqlDataSource source, Func<NpgsqlTransaction, Task<bool>> write)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var result = await write(transaction);
        await transaction.CommitAsync();
        return result;
    }
}
