namespace CommunityBot.Dialogs.Conversation;

/// <summary>Remembers one-off facts about a conversation, such as "this group has been greeted".</summary>
public interface IConversationMemory
{
    /// <summary>Marks <paramref name="key"/>; true the first time only.</summary>
    Task<bool> MarkOnceAsync(string key, CancellationToken cancellationToken);
}
