using CommunityBot.Dialogs.Handoff;
using CommunityBot.Handoff;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Handoff;

/// <summary>The help-request contract (<see cref="HelpRequestStoreContractTests"/>) on LiteDB's <see cref="HelpRequestStore"/>.</summary>
public sealed class LiteDbHelpRequestStoreTests : HelpRequestStoreContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly HelpRequestStore _store;

    public LiteDbHelpRequestStoreTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _store = new HelpRequestStore(_database, _writer, NullLogger<HelpRequestStore>.Instance);
    }

    protected override IHumanHelp Help => _store;

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task<IReadOnlyList<HelpRequestDocument>> RecentAsync(int limit) => Task.FromResult(_store.Recent(limit));
}
