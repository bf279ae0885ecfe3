using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CommunityBot.Media;

/// <summary>
/// Signs photo links: HMAC-SHA256 over "id\nexp" with a key made once and kept in the data directory
/// (DATA_DIR/media/signing.key), so links stay valid across restarts and are worthless elsewhere.
/// </summary>
public sealed class MediaSigner
{
    private readonly byte[] _key;

    public MediaSigner(byte[] key) => _key = key;

    /// <summary>The key in <paramref name="folder"/>, made there on first use.</summary>
    public static MediaSigner FromFolder(string folder)
    {
        System.IO.Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "signing.key");
        if (!File.Exists(path))
        {
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temp, RandomNumberGenerator.GetBytes(32));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
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
        return key.Length >= 32 ? new MediaSigner(key) : throw new InvalidOperationException($"The media signing key {path} is damaged; delete it to make a new one (old links stop working).");
    }

    public string Sign(string id, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(id + "\n" + expires.ToString(CultureInfo.InvariantCulture))));

    /// <summary>True when <paramref name="signature"/> is this server's for the id and expiry, and the expiry is still ahead.</summary>
    public bool Verify(string id, string? exp, string? signature, DateTimeOffset now)
    {
        if (!long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || signature is not { Length: 64 })
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(id + "\n" + expires.ToString(CultureInfo.InvariantCulture)));
        return CryptographicOperations.FixedTimeEquals(expected, given) && now.ToUnixTimeSeconds() < expires;
    }
}
