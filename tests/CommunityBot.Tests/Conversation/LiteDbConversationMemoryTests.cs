using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Conversation;

/// <summary>The conversation memory contract (<see cref="ConversationMemoryContractTests"/>) on <see cref="LiteDbConversationMemory"/>; the other instance is a second memory over the same database and writer (one process).</summary>
public sealed class LiteDbConversationMemoryTests : ConversationMemoryContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;

    public LiteDbConversationMemoryTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        Memory = new LiteDbConversationMemory(_database, _writer);
        OtherInstance = new LiteDbConversationMemory(_database, _writer);
    }

    protected override IConversationMemory Memory { get; }

    protected override IConversationMemory OtherInstance { get; }

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }
}
