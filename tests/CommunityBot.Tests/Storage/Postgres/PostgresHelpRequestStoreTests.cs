using CommunityBot.Dialogs.Handoff;
using CommunityBot.Handoff;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Handoff;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>The help-request contract (<see cref="HelpRequestStoreContractTests"/>) on <see cref="PostgresHelpRequestStore"/>, on the class's database emptied before each test.</summary>
[PostgresTests]
public sealed class PostgresHelpRequestStoreTests(PostgresDatabase database) : HelpRequestStoreContractTests, IClassFixture<PostgresDatabase>
{
    private PostgresHelpRequestStore _store = null!;

    protected override IHumanHelp Help => _store;

    public override async Task InitializeAsync()
    {
        var source = database.NewDataSource();
        _store = new PostgresHelpRequestStore(source, NullLogger<PostgresHelpRequestStore>.Instance);
        await using var command = source.CreateCommand("TRUNCATE help_requests");
        await command.ExecuteNonQueryAsync();
    }

    protected override Task<IReadOnlyList<HelpRequestDocument>> RecentAsync(int limit) => _store.RecentAsync(limit, CancellationToken.None);
}
