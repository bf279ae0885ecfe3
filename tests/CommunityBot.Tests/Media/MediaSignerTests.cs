using System.Globalization;
using CommunityBot.Media;

namespace CommunityBot.Tests.Media;

/// <summary>Signed photo links: a good one opens until it expires; a changed id, expiry or signature never does.</summary>
public sealed class MediaSignerTests : IDisposable
{
    private const string Id = "0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly long Expires = Now.AddDays(30).ToUnixTimeSeconds();

    private readonly MediaSigner _signer = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "communitybot-tests", "signer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (System.IO.Directory.Exists(_folder))
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Verify_TheLinkAsSigned_Accepted()
    {
        Assert.True(_signer.Verify(Id, Exp(Expires), _signer.Sign(Id, Expires), Now));
        Assert.True(_signer.Verify(Id, Exp(Expires), _signer.Sign(Id, Expires), DateTimeOffset.FromUnixTimeSeconds(Expires - 1)));
    }

    [Fact]
    public void Verify_AnotherId_Refused() =>
        Assert.False(_signer.Verify("0123456789abcdef0123456789abcdee", Exp(Expires), _signer.Sign(Id, Expires), Now));

    [Fact]
    public void Verify_ExpiryMovedLater_Refused() =>
        Assert.False(_signer.Verify(Id, Exp(Expires + 1), _signer.Sign(Id, Expires), Now));

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(63)]
    public void Verify_OneDigitOfTheSignatureChanged_Refused(int position)
    {
        var signature = _signer.Sign(Id, Expires).ToCharArray();
        signature[position] = signature[position] == '0' ? '1' : '0';

        Assert.False(_signer.Verify(Id, Exp(Expires), new string(signature), Now));
    }

    [Fact]
    public void Verify_AnotherServersKey_Refused() =>
        Assert.False(new MediaSigner(new byte[32]).Verify(Id, Exp(Expires), _signer.Sign(Id, Expires), Now));

    [Fact]
    public void Verify_AtOrAfterTheExpiry_Refused()
    {
        var signature = _signer.Sign(Id, Expires);

        Assert.False(_signer.Verify(Id, Exp(Expires), signature, DateTimeOffset.FromUnixTimeSeconds(Expires)));
        Assert.False(_signer.Verify(Id, Exp(Expires), signature, Now.AddYears(1)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1e9")]
    [InlineData("99999999999999999999")]
    public void Verify_MalformedExpiry_Refused(string? exp) =>
        Assert.False(_signer.Verify(Id, exp, _signer.Sign(Id, Expires), Now));

    [Theory]
    [InlineData("upper")]
    [InlineData("short")]
    [InlineData("missing")]
    [InlineData("not hex")]
    public void Verify_MalformedSignature_Refused(string how)
    {
        var signature = _signer.Sign(Id, Expires);
        var given = how switch
        {
            "upper" => signature.ToUpperInvariant(), // the same bytes, not the form we write
            "short" => signature[..63],
            "missing" => null,
            _ => "zz" + signature[2..],
        };

        Assert.False(_signer.Verify(Id, Exp(Expires), given, Now));
    }

    [Fact]
    public void Verify_ExpiryWithALeadingZero_Refused() =>
        Assert.False(_signer.Verify(Id, "0" + Exp(Expires), _signer.Sign(Id, Expires), Now));

    [Fact]
    public void FromFolder_MadeOnceThenReused_OwnerOnly()
    {
        var first = MediaSigner.FromFolder(_folder);
        var again = MediaSigner.FromFolder(_folder);

        Assert.True(again.Verify(Id, Exp(Expires), first.Sign(Id, Expires), Now));
        var path = Path.Combine(_folder, MediaSigner.KeyFileName);
        Assert.Equal(32, new FileInfo(path).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Empty(System.IO.Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void FromFolder_DamagedKey_RefusedWithAClearMessage()
    {
        System.IO.Directory.CreateDirectory(_folder);
        File.WriteAllBytes(Path.Combine(_folder, MediaSigner.KeyFileName), [1, 2, 3]);

        var error = Assert.Throws<InvalidOperationException>(() => MediaSigner.FromFolder(_folder));

        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
    }

    private static string Exp(long expires) => expires.ToString(CultureInfo.InvariantCulture);
}
