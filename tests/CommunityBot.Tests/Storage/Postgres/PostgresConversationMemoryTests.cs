using CommunityBot.Dialogs.Conversation;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Conversation;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>The conversation memory contract (<see cref="ConversationMemoryContractTests"/>) on <see cref="PostgresConversationMemory"/>: two instances, each its own data source, on the class's database emptied before each test.</summary>
[PostgresTests]
public sealed class PostgresConversationMemoryTests(PostgresDatabase database) : ConversationMemoryContractTests, IClassFixture<PostgresDatabase>
{
    private IConversationMemory _memory = null!;
    private IConversationMemory _other = null!;

    protected override IConversationMemory Memory => _memory;

    protected override IConversationMemory OtherInstance => _other;

    public override async Task InitializeAsync()
    {
        var source = database.NewDataSource();
        _memory = new PostgresConversationMemory(source);
        _other = new PostgresConversationMemory(database.NewDataSource());
        await using var command = source.CreateCommand("TRUNCATE conversation_marks");
        await command.ExecuteNonQueryAsync();
    }
}
