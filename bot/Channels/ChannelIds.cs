using System.Text;

namespace CommunityBot.Channels;

/// <summary>
/// The length every id a channel hands us (message, conversation, user, bot, tenant, chat) must keep. Ids end up in
/// LiteDB index keys, alone or several joined ("{channel}/{conversation}/{user}"), and LiteDB refuses a key over
/// 1,023 bytes with an exception: an over-long id is refused at the endpoint with a 400 instead.
/// </summary>
public static class ChannelIds
{
    /// <summary>
    /// UTF-8 bytes per id. Real ids are far shorter (Teams conversation and user ids are ASCII of about 30–160
    /// characters, WeCom ids a few dozen), and three ids joined stay well under LiteDB's index key limit.
    /// </summary>
    public const int MaxBytes = 256;

    /// <summary>True for null (a missing id is checked elsewhere) or an id of at most <see cref="MaxBytes"/> UTF-8 bytes.</summary>
    public static bool IsBounded(string? id) =>
        id is null || id.Length <= MaxBytes / 3 || (id.Length <= MaxBytes && Encoding.UTF8.GetByteCount(id) <= MaxBytes);

    /// <summary>A problem sentence naming the first over-long id, or null when all are bounded.</summary>
    public static string? FindOverLong(params ReadOnlySpan<(string Name, string? Value)> ids)
    {
        foreach (var (name, value) in ids)
        {
            if (!IsBounded(value))
            {
                return $"{name} is longer than {MaxBytes} bytes.";
            }
        }

        return null;
    }
}
