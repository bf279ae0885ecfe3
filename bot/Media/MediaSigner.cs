using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CommunityBot.Media;

/// <summary>
/// Signs photo links: HMAC-SHA256 over "id\nexp" with a key made once and kept in the data directory
/// (DATA_DIR/media/signing.key, readable by this user only), so links stay valid across restarts and are worthless elsewhere.
/// </summary>
public sealed class MediaSigner
{
    public const string KeyFileName = "signing.key";

    private const int KeyLength = 32;

    private readonly byte[] _key;

    public MediaSigner(byte[] key) =>
        _key = key.Length >= KeyLength ? key : throw new ArgumentException($"A signing key has at least {KeyLength} bytes.", nameof(key));

    /// <summary>The key in <paramref name="folder"/>, made there on first use.</summary>
    public static MediaSigner FromFolder(string folder)
    {
        System.IO.Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, KeyFileName);
        if (!File.Exists(path))
        {
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            // Created with owner-only permissions from the start, not narrowed after the key is in it.
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(temp, create))
            {
                file.Write(RandomNumberGenerator.GetBytes(KeyLength));
                file.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp); // another process made it first: use theirs
            }
        }

        var key = File.ReadAllBytes(path);
        return key.Length >= KeyLength
            ? new MediaSigner(key)
            : throw new InvalidOperationException($"The media signing key {path} is damaged; delete it to make a new one (links sent so far stop working).");
    }

    /// <summary>The signature of a link to <paramref name="id"/> valid until <paramref name="expires"/> (Unix seconds): 64 lower-case hex digits.</summary>
    public string Sign(string id, long expires) => Convert.ToHexStringLower(Mac(id, expires));

    /// <summary>True when <paramref name="signature"/> is this server's for the id and expiry, and the expiry is still ahead.</summary>
    public bool Verify(string id, string? exp, string? signature, DateTimeOffset now)
    {
        // Only the exact form Sign writes: digits for the expiry, lower-case hex for the signature (one link per photo and expiry).
        if (!long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || exp!.Length > 1 && exp[0] == '0'
            || signature is not { Length: 64 } || !signature.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        var given = Convert.FromHexString(signature);
        return CryptographicOperations.FixedTimeEquals(Mac(id, expires), given) && now.ToUnixTimeSeconds() < expires;
    }

    private byte[] Mac(string id, long expires) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(id + "\n" + expires.ToString(CultureInfo.InvariantCulture)));
}
