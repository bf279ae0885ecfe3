using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CommunityBot.Channels.WeCom;

/// <summary>
/// WeCom's callback crypto (加解密方案, protocols B.2.1): SHA1 signature over the sorted token, timestamp,
/// nonce and ciphertext, and AES-256-CBC over random(16) ‖ msg_len(4, big-endian) ‖ msg ‖ ReceiveId with
/// PKCS#7 padding to 32-byte multiples. Shared by the 自建应用 XML and the 智能机器人 JSON callbacks.
/// </summary>
public sealed class WeComCrypto
{
    private const int RandomLength = 16;
    private const int LengthPrefix = 4;
    private const int PadBlock = 32;

    private readonly string _token;
    private readonly byte[] _key;
    private readonly byte[] _iv;
    private readonly byte[] _receiveId;

    /// <param name="token">The callback Token from the admin console.</param>
    /// <param name="encodingAesKey">The 43-character EncodingAESKey.</param>
    /// <param name="receiveId">CorpID for app callbacks; "" for 企业内部智能机器人 (protocols B.1.2).</param>
    public WeComCrypto(string token, string encodingAesKey, string receiveId)
    {
        if (!IsValidEncodingAesKey(encodingAesKey))
        {
            throw new ArgumentException("EncodingAESKey must be 43 characters of [A-Za-z0-9].", nameof(encodingAesKey));
        }

        _token = token;
        _key = Convert.FromBase64String(encodingAesKey + "=");
        _iv = _key[..16];
        _receiveId = Encoding.UTF8.GetBytes(receiveId);
    }

    /// <summary>True for a well-formed EncodingAESKey: 43 characters of [A-Za-z0-9] (official -40004 otherwise).</summary>
    public static bool IsValidEncodingAesKey(string? key) =>
        key is { Length: 43 } && key.All(char.IsAsciiLetterOrDigit);

    /// <summary>sha1 of the four strings sorted ordinally (as the official Python <c>list.sort()</c>) and concatenated; hex lower-case.</summary>
    public string Sign(string timestamp, string nonce, string encrypt)
    {
        string[] parts = [_token, timestamp, nonce, encrypt];
        Array.Sort(parts, StringComparer.Ordinal);
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts)));
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Checks msg_signature in constant time.</summary>
    public bool VerifySignature(string? signature, string timestamp, string nonce, string encrypt)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(timestamp, nonce, encrypt));
        var actual = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>Verifies the signature, then decrypts; the plaintext message bytes on success.</summary>
    public WeComCryptoError TryOpen(string? signature, string timestamp, string nonce, string encrypt, out byte[] message)
    {
        message = [];
        return VerifySignature(signature, timestamp, nonce, encrypt)
            ? TryDecrypt(encrypt, out message)
            : WeComCryptoError.InvalidSignature;
    }

    /// <summary>Decrypts msg_encrypt and checks padding, length and ReceiveId; returns the message bytes.</summary>
    public WeComCryptoError TryDecrypt(string encrypt, out byte[] message)
    {
        message = [];
        var cipher = new byte[encrypt.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(encrypt, cipher, out var cipherLength))
        {
            return WeComCryptoError.InvalidBase64;
        }

        if (cipherLength == 0 || cipherLength % 16 != 0)
        {
            return WeComCryptoError.InvalidCiphertext;
        }

        byte[] plain;
        using (var aes = Aes.Create())
        {
            aes.Key = _key;
            // .NET's PKCS7 checks against the 16-byte AES block and rejects WeCom's pads of 17..32 (protocols C.5).
            plain = aes.DecryptCbc(cipher.AsSpan(0, cipherLength), _iv, PaddingMode.None);
        }

        int pad = plain[^1];
        if (pad is < 1 or > PadBlock || pad > plain.Length || plain.AsSpan(plain.Length - pad).ContainsAnyExcept((byte)pad))
        {
            return WeComCryptoError.InvalidPadding;
        }

        var content = plain.AsSpan(0, plain.Length - pad);
        if (content.Length < RandomLength + LengthPrefix)
        {
            return WeComCryptoError.InvalidLength;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(content.Slice(RandomLength, LengthPrefix));
        var rest = content[(RandomLength + LengthPrefix)..];
        if (length < 0 || length > rest.Length)
        {
            return WeComCryptoError.InvalidLength;
        }

        if (!CryptographicOperations.FixedTimeEquals(rest[length..], _receiveId))
        {
            return WeComCryptoError.ReceiveIdMismatch;
        }

        message = rest[..length].ToArray();
        return WeComCryptoError.None;
    }

    /// <summary>Encrypts with a fresh random prefix.</summary>
    public string Encrypt(ReadOnlySpan<byte> message) => Encrypt(message, RandomNumberGenerator.GetBytes(RandomLength));

    /// <summary>Encrypts with the given 16-byte random prefix (deterministic: for the official test vectors).</summary>
    public string Encrypt(ReadOnlySpan<byte> message, ReadOnlySpan<byte> random)
    {
        if (random.Length != RandomLength)
        {
            throw new ArgumentException("The random prefix must be 16 bytes.", nameof(random));
        }

        var contentLength = RandomLength + LengthPrefix + message.Length + _receiveId.Length;
        var pad = PadBlock - contentLength % PadBlock; // 1..32, as the official encoder
        var plain = new byte[contentLength + pad];
        random.CopyTo(plain);
        BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(RandomLength), message.Length);
        message.CopyTo(plain.AsSpan(RandomLength + LengthPrefix));
        _receiveId.CopyTo(plain.AsSpan(RandomLength + LengthPrefix + message.Length));
        plain.AsSpan(contentLength).Fill((byte)pad);

        using var aes = Aes.Create();
        aes.Key = _key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, _iv, PaddingMode.None));
    }

    /// <summary>Builds the encrypted passive reply; <paramref name="nonce"/> must be the callback's (protocols B.1.3).</summary>
    public WeComEncryptedReply Seal(ReadOnlySpan<byte> message, long timestamp, string nonce, ReadOnlySpan<byte> random = default)
    {
        var encrypt = random.IsEmpty ? Encrypt(message) : Encrypt(message, random);
        var ts = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new WeComEncryptedReply(encrypt, Sign(ts, nonce, encrypt), timestamp, nonce);
    }
}
