using System.Security.Cryptography;
using CommunityBot.Channels.WeCom;
using Microsoft.Extensions.Options;

namespace CommunityBot.Media;

/// <summary>
/// The WeCom 智能机器人 hands a picture over as <c>image.url</c>, a short-lived download link (no access token: there is no
/// MediaId to pass to <c>media/get</c> in this protocol) whose file is encrypted with the robot's EncodingAESKey, the way
/// the callbacks are: AES-256-CBC, the IV the key's first 16 bytes, PKCS#7 padding to 32-byte blocks, but no random prefix
/// or length (protocols B.2.1 for the cipher). A body that already is an image is taken as it is (a plain 自建应用 PicUrl).
/// </summary>
public sealed class WeComMediaCredentials(IOptions<WeComOptions> options) : IMediaCredentials
{
    private const int PadBlock = 32;

    public bool Handles(MediaItem item) => item.Channel == WeComMessageMapper.ChannelId;

    // The download link carries its own authorisation.
    public Task AuthorizeAsync(HttpRequestMessage request, MediaItem item, CancellationToken cancellationToken) => Task.CompletedTask;

    public byte[]? Decode(MediaItem item, byte[] body)
    {
        if (MediaContent.ImageType(body) is not null)
        {
            return body;
        }

        var key = options.Value.EncodingAESKey;
        if (!WeComCrypto.IsValidEncodingAesKey(key) || body.Length == 0 || body.Length % 16 != 0)
        {
            return null;
        }

        return Decrypt(body, Convert.FromBase64String(key + "="));
    }

    /// <summary>The plain file in <paramref name="cipher"/>, or null when its padding is not WeCom's.</summary>
    public static byte[]? Decrypt(byte[] cipher, byte[] key)
    {
        byte[] plain;
        using (var aes = Aes.Create())
        {
            aes.Key = key;
            // .NET's own PKCS7 check is for 16-byte blocks; WeCom pads to 32 (protocols C.5).
            plain = aes.DecryptCbc(cipher, key.AsSpan(0, 16), PaddingMode.None);
        }

        int pad = plain[^1];
        if (pad is < 1 or > PadBlock || pad > plain.Length || plain.AsSpan(plain.Length - pad).ContainsAnyExcept((byte)pad))
        {
            return null;
        }

        return plain[..^pad];
    }

    /// <summary>Encrypts <paramref name="file"/> as WeCom does (for tests and the demo's stand-in).</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> file, byte[] key)
    {
        var pad = PadBlock - file.Length % PadBlock;
        var plain = new byte[file.Length + pad];
        file.CopyTo(plain);
        plain.AsSpan(file.Length).Fill((byte)pad);
        using var aes = Aes.Create();
        aes.Key = key;
        return aes.EncryptCbc(plain, key.AsSpan(0, 16), PaddingMode.None);
    }
}
