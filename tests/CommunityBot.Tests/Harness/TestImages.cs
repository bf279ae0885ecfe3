namespace CommunityBot.Tests.Harness;

/// <summary>Small real images (and not-images) for the photo tests.</summary>
public static class TestImages
{
    /// <summary>A 1×1 PNG.</summary>
    public static byte[] Png { get; } = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /// <summary>The start of a JPEG (SOI, APP0 JFIF) and some bytes: what the magic-byte check reads.</summary>
    public static byte[] Jpeg { get; } = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];

    /// <summary>An HTML page, which a host may well serve under an image's name and type.</summary>
    public static byte[] Html { get; } = "<html><script>alert(1)</script></html>"u8.ToArray();
}
