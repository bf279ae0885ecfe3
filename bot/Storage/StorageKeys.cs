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

        var prefix = key.AsSpan(0, KeptPrefix);
        if (char.IsHighSurrogate(prefix[^1]))
        {
            prefix = prefix[..^1];
        }

        return string.Concat(prefix, "#sha256:", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))));
    }
}
