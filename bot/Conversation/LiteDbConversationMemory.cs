using CommunityBot.Dialogs.Conversation;
using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Conversation;

/// <summary>One-off conversation facts ("greeted") as documents whose id is the fact's key.</summary>
public sealed class LiteDbConversationMemory(ILiteDatabase database, LiteDbWriter writer) : IConversationMemory
{
    private readonly ILiteCollection<BsonDocument> _marks = LiteDbCollections.Open(database, "conversation_marks");

    public Task<bool> MarkOnceAsync(string key, CancellationToken cancellationToken) =>
        writer.WriteAsync(_ => _marks.Upsert(new BsonDocument { ["_id"] = StorageKeys.Bound(key) }));
}
