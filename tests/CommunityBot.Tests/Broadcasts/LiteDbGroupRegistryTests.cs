using CommunityBot.Broadcasts;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Broadcasts;

/// <summary>The group registry contract (<see cref="GroupRegistryContractTests"/>) on LiteDB's <see cref="GroupRegistry"/>, each write on the writer thread.</summary>
public sealed class LiteDbGroupRegistryTests : GroupRegistryContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly GroupRegistry _groups;

    public LiteDbGroupRegistryTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _groups = new GroupRegistry(_database, _writer, MsOptions.Create(new GroupRegistryOptions { MaxGroups = MaxGroups }));
    }

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task<bool> RecordAsync(ConversationReference conversation, DateTimeOffset now) =>
        _writer.WriteAsync(_ => _groups.Record(conversation, now));

    protected override Task RecordResidentAsync(InboundMessage message, DateTimeOffset now) =>
        _writer.WriteAsync(_ =>
        {
            if (_groups.ShouldRecordResident(message, now))
            {
                _groups.RecordResident(message, now);
            }
        });

    protected override Task<bool> AssignAsync(string key, string? name, string? communityId, string? compoundId) =>
        _writer.WriteAsync(_ => _groups.Assign(key, name, communityId, compoundId));

    protected override Task<bool> TieAsync(ConversationReference conversation, string name, string communityId, string? compoundId, DateTimeOffset now) =>
        _writer.WriteAsync(_ => _groups.Tie(conversation, name, communityId, compoundId, now));

    protected override Task<ChatGroup?> FindAsync(string key) => Task.FromResult(_groups.Find(key));

    protected override Task<IReadOnlyList<ChatGroup>> AllAsync() => Task.FromResult(_groups.All());

    protected override Task<ChatGroup?> LastGroupOfAsync(string channel, string userId) => Task.FromResult(_groups.LastGroupOf(channel, userId));
}
