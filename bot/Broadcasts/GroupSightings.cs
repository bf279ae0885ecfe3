using System.Collections.Concurrent;
using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Broadcasts;

/// <summary>
/// When this instance last wrote each group (<see cref="GroupRegistry"/>, <see cref="Storage.Postgres.PostgresGroupRegistry"/>),
/// so a turn writes its group only when the group is new to it or was written more than <see cref="GroupRegistry.Staleness"/>
/// ago: most turns cost one dictionary lookup and no write. A claim is atomic, so concurrent turns in one group claim the
/// write once.
/// </summary>
public sealed class GroupSightings
{
    private readonly ConcurrentDictionary<string, DateTime> _lastWritten = new(StringComparer.Ordinal);

    /// <summary>Notes a group as written at <paramref name="at"/> (from the store, when it starts).</summary>
    public void Written(string key, DateTime at) => _lastWritten[key] = at;

    /// <summary>Forgets the group (dropped, or its write did not go in), so its next turn writes it.</summary>
    public void Forget(string key) => _lastWritten.TryRemove(key, out _);

    /// <summary>Whether <paramref name="conversation"/> is a group to write now; if so the write is claimed.</summary>
    public bool Claim(ConversationReference conversation, DateTimeOffset now)
    {
        if (!conversation.IsGroup)
        {
            return false;
        }

        var key = GroupRegistry.KeyOf(conversation.Channel, conversation.ConversationId);
        var at = now.UtcDateTime;
        while (true)
        {
            if (!_lastWritten.TryGetValue(key, out var last))
            {
                if (_lastWritten.TryAdd(key, at))
                {
                    return true;
                }

                continue; // another turn claimed it first: look again
            }

            if (at - last <= GroupRegistry.Staleness)
            {
                return false;
            }

            if (_lastWritten.TryUpdate(key, at, last))
            {
                return true;
            }
        }
    }
}
