using System.Security.Cryptography;
using System.Text;

namespace CommunityBot.Storage;

/// <summary>
/// Keeps a document id built from caller-supplied parts under LiteDB's index key limit (1,023 bytes; a longer key
/// throws). The endpoints already refuse over-long ids (<see cref="Channels.ChannelIds"/>); this is the store's own guard,
/// so that no path can turn a long id into an exception in the middle of a turn.
/// </summary>
public static class StorageKeys
{
    /// <summary>Keys up to this many UTF-8 bytes are kept as they are (every key a channel produces today).</summary>
    public const int MaxBytes = 512;

    private const int KeptPrefix = 64;

    /// <summary>
    /// The key itself when it fits, else its first characters and the SHA-256 of the whole key: still one key per
    /// input, so lookups and de-duplication work the same, and still readable enough to say where it came from.
    /// </summary>
    public static string Bound(string key)
    {
        if (key.Length <= MaxBytes / 3 || Encoding.UTF8.GetByteCount(key) <= MaxBytes)
        {
            return key;
        }

        return Shorten(key);
    }

    /// <summary>
    /// <see cref="Bound"/> for a Bot Builder state key that names a user (<c>{channel}/conversations/{conversation}/users/{user}</c>):
    /// the part before <see cref="UsersSegment"/> is shortened on its own length only, so every user's key in one
    /// conversation starts with the same <see cref="BoundUserKeyPrefix"/> however long the conversation id is (a prefix
    /// read finds them all), and a user id too long to keep is shortened apart. Keys without the segment get <see cref="Bound"/>.
    /// </summary>
    public static string BoundUserKey(string key)
    {
        var split = key.LastIndexOf(UsersSegment, StringComparison.Ordinal);
        if (split <= 0)
        {
            return Bound(key);
        }

        var user = key[(split + UsersSegment.Length)..];
        return BoundUserKeyPrefix(key[..split]) + (Encoding.UTF8.GetByteCount(user) <= MaxUserBytes ? user : Shorten(user));
    }

    /// <summary>The stored prefix of every <see cref="BoundUserKey"/> whose part before <see cref="UsersSegment"/> is <paramref name="head"/>.</summary>
    public static string BoundUserKeyPrefix(string head) =>
        (Encoding.UTF8.GetByteCount(head) <= MaxHeadBytes ? head : Shorten(head)) + UsersSegment;

    /// <summary>The segment before the user id in the SDK's user-scoped state keys.</summary>
    public const string UsersSegment = "/users/";

    // Head and user bounds keep a BoundUserKey under LiteDB's 1,023-byte limit (384 + 7 + a shortened part's 328 at most).
    private const int MaxHeadBytes = 384;
    private const int MaxUserBytes = 128;

    private static string Shorten(string key)
    {
        var prefix = key.AsSpan(0, KeptPrefix);
        if (char.IsHighSurrogate(prefix[^1]))
        {
            prefix = prefix[..^1];
        }

        return string.Concat(prefix, "#sha256:", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))));
    }
}
