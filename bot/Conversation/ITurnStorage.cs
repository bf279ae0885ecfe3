using Microsoft.Bot.Builder;

namespace CommunityBot.Conversation;

/// <summary>
/// The SDK's <see cref="IStorage"/> as a resident's turn uses it, on either provider (<see cref="LiteDbStorage"/>,
/// <see cref="Storage.Postgres.PostgresStorage"/>): inside a turn (<see cref="BeginTurn"/>) writes are held in the turn's
/// <see cref="StorageTurn"/> and committed with its message id and replies by the provider's <see cref="ITurnStore"/>; a
/// write to another resident's state goes at once (<see cref="WriteNowAsync"/>); a conversation's residents are listed
/// by their shared key head.
/// </summary>
public interface ITurnStorage : IStorage
{
    /// <summary>Holds this async flow's writes (the turn's) from now on.</summary>
    StorageTurn BeginTurn();

    /// <summary>Writes at once, even inside a turn, with the same ETag checks.</summary>
    Task WriteNowAsync(IDictionary<string, object> changes, CancellationToken cancellationToken = default);

    /// <summary>The items of every user in one conversation (<c>{channel}/conversations/{conversation}</c>).</summary>
    Task<IReadOnlyList<(string Key, StoredItem Item)>> FindUsersOfAsync(string head, int limit, CancellationToken cancellationToken);
}
