namespace CommunityBot.Channels.WeCom;

/// <summary>Why a WeCom callback could not be opened; each maps to one of the official library's error codes (protocols B.2.1).</summary>
public enum WeComCryptoError
{
    None = 0,
    /// <summary>msg_signature does not match sha1(sort(token, timestamp, nonce, encrypt)) (official -40001).</summary>
    InvalidSignature,
    /// <summary>The ciphertext is not valid Base64 (official -40010).</summary>
    InvalidBase64,
    /// <summary>The ciphertext is empty or not a whole number of AES blocks (official -40007).</summary>
    InvalidCiphertext,
    /// <summary>The PKCS#7 padding (1..32 bytes, all equal) is wrong (official -40007).</summary>
    InvalidPadding,
    /// <summary>msg_len points outside the decrypted buffer (official -40008).</summary>
    InvalidLength,
    /// <summary>The ReceiveId after the message is not ours (official -40005).</summary>
    ReceiveIdMismatch,
}
