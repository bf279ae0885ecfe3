using System.Text;
using CommunityBot.Channels.WeCom;

namespace CommunityBot.Tests.Channels.WeCom;

/// <summary>
/// WeComCrypto against the vectors in reference/protocols.md PART C: C.1 is Tencent's WXBizMsgCrypt sample
/// (sbzhu/weworkapi_php callback/Sample.php), C.2 the Python sample (sbzhu/weworkapi_python callback/Sample.py,
/// callback_json/Sample.py), C.3 the WeChat Java test (WXBizMsgCryptTest.java), C.4 self-generated aibot vectors.
/// </summary>
public sealed class WeComCryptoTests
{
    private const string QdgToken = "QDG6eK";
    private const string QdgKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private const string QdgCorp = "wx5823bf96d3bd56c7";

    private const string C1Echo = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
    private const string C1XmlEncrypt = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
    private const string C1XmlPlain = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";

    private const string HjqToken = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
    private const string HjqKey = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
    private const string HjqCorp = "ww1436e0e65a779aee";

    private const string C4Plain = "{\"msgid\":\"CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=\",\"aibotid\":\"AIBOTID\",\"chatid\":\"CHATID\",\"chattype\":\"group\",\"from\":{\"userid\":\"USERID\"},\"response_url\":\"RESPONSEURL\",\"msgtype\":\"text\",\"text\":{\"content\":\"@RobotA hello robot\"}}";
    private const string C4Encrypt = "sKqRbbiSUnDhFHOvPjtUMcw0RmRNkLSpAwtrwZiMb9vVnpG3UVwnmBvcI4Hn9HXYXR+P8ZHkMy5J/emUWEvGEoYyLQ1sHR5gbyfkDv1sPJuwYvXryOyuAT2s0y64qmWqSCi+rxqA2c4Jpx9vFsl8xkSwf0JfF0huG2Z6s1AGgFS8S06CLbMIthQ4sKTzaoMOFv4p779b0bgcQh8N8z6Duig8JKjMdbiK06I3TKmPyBsUZOWKQVwVvY5jtDTkLGjve14QqajYP/JdK5l4W/YNtOoMkO1Kc1JL49K8AhBshNK7x2heD1BX/UO0FVbQDYVpjYlo1sJhKmtMpHlzEns7qA==";

    private static readonly WeComCrypto Qdg = new(QdgToken, QdgKey, QdgCorp);

    [Fact]
    public void VerifyUrl_OfficialSampleC1_ReturnsEchoMessage()
    {
        var error = Qdg.TryOpen("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", C1Echo, out var message);

        Assert.Equal(WeComCryptoError.None, error);
        Assert.Equal("1616140317555161061", Encoding.UTF8.GetString(message));
    }

    [Fact]
    public void Encrypt_OfficialSampleC1Random_ReproducesEchostr()
    {
        var encrypted = Qdg.Encrypt(Encoding.UTF8.GetBytes("1616140317555161061"), Encoding.ASCII.GetBytes("c41b64491c2468d0"));

        Assert.Equal(C1Echo, encrypted);
        Assert.Equal("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", Qdg.Sign("1409659589", "263014780", encrypted));
    }

    [Fact]
    public void DecryptXml_OfficialSampleC1WithPad30_ReturnsExactPlaintext()
    {
        var error = Qdg.TryOpen("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149", C1XmlEncrypt, out var message);

        Assert.Equal(WeComCryptoError.None, error);
        Assert.Equal(C1XmlPlain, Encoding.UTF8.GetString(message));
    }

    [Fact]
    public void EncryptXml_OfficialSampleC1Random_ReproducesCiphertext()
    {
        var encrypted = Qdg.Encrypt(Encoding.UTF8.GetBytes(C1XmlPlain), Encoding.ASCII.GetBytes("0960688932c47ef1"));

        Assert.Equal(C1XmlEncrypt, encrypted);
    }

    [Fact]
    public void VerifyUrl_OfficialPythonSampleC2_ReturnsEchoMessage()
    {
        var crypto = new WeComCrypto(HjqToken, HjqKey, HjqCorp);
        const string echo = "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==";

        var error = crypto.TryOpen("012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb", "1476416373", "47744683", echo, out var message);

        Assert.Equal(WeComCryptoError.None, error);
        Assert.Equal("1288432023552776189", Encoding.UTF8.GetString(message));
        Assert.Equal(echo, crypto.Encrypt(message, Encoding.ASCII.GetBytes("8908d0ff052afda0")));
    }

    [Fact]
    public void DecryptXml_OfficialPythonSampleC2_ReturnsChinesePlaintext()
    {
        var crypto = new WeComCrypto(HjqToken, HjqKey, HjqCorp);
        const string encrypt = "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+";

        var error = crypto.TryOpen("0c3914025cb4b4d68103f6bfc8db550f79dcf48e", "1476422779", "1597212914", encrypt, out var message);

        Assert.Equal(WeComCryptoError.None, error);
        Assert.Equal(
            "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>",
            Encoding.UTF8.GetString(message));
    }

    [Fact]
    public void DecryptJson_OfficialPythonSampleC2_MatchesRawBytesAndRoundTrips()
    {
        var crypto = new WeComCrypto(HjqToken, HjqKey, HjqCorp);
        const string encrypt = "cjhLUX7UU4yCSelv1vz7T0zT8huF51bAMVWriNvO1FMegHrQZNrtvRxbwf0fUPsFvwqR0U0fgiJNEA5Y30F2MoI2S7vv3EjVQ68C0cjw9frBoUE2Hj0BvFp9h3u6Vbsg4lc1C8AtHdaN8orKuNKkLRLuYEL52R1J3v8olJGZRLnRdVKIivixmX/eQpzgeExtp20jI1HxRP1AAZ6xZoILdqDPO549LO4WeG+685JRUTdiwcY5fjZlqeMxuT4PpMn1X9OWsS7NRj06Wa5E3Tvg4twjWp39KPfOdRte6P1T4JU=";
        // Tencent's sample plaintext is deliberately malformed JSON (": :mycreate\""): compare bytes, never parse.
        var expected = Encoding.UTF8.GetBytes("{ \"ToUserName\": \"wx5823bf96d3bd56c7\", \"FromUserName\": :mycreate\", \"CreateTime\": 1409659813, \"MsgType\": \"text\", \"Content\": \"hello\", \"MsgId\": 4561255354251345929, \"AgentID\": 218}");

        var error = crypto.TryOpen("e3647471e395139e2308c1fa963f2d648a00b90e", "1409659813", "1372623149", encrypt, out var message);

        Assert.Equal(WeComCryptoError.None, error);
        Assert.Equal(expected, message);
        Assert.Equal(encrypt, crypto.Encrypt(message, Encoding.ASCII.GetBytes("dDVXRx6kn1gOT43Q")));
    }

    [Fact]
    public void Encrypt_WeChatJavaVectorC3_MatchesAndDecrypts()
    {
        var crypto = new WeComCrypto("token", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxb11529c136998cb6");
        const string expected = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";

        var encrypted = crypto.Encrypt(Encoding.UTF8.GetBytes("我是中文abcd123"), Encoding.ASCII.GetBytes("aaaabbbbccccdddd"));

        Assert.Equal(expected, encrypted);
        Assert.Equal(WeComCryptoError.None, crypto.TryDecrypt(expected, out var message));
        Assert.Equal("我是中文abcd123", Encoding.UTF8.GetString(message));
    }

    [Fact]
    public void AibotCallback_DerivedVectorC4_DecryptsAndEncryptsWithEmptyReceiveId()
    {
        var crypto = new WeComCrypto(QdgToken, QdgKey, "");

        Assert.Equal(C4Encrypt, crypto.Encrypt(Encoding.UTF8.GetBytes(C4Plain), Encoding.ASCII.GetBytes("0123456789abcdef")));
        Assert.Equal(WeComCryptoError.None, crypto.TryOpen("30f8cfa8911fc0d7090cb5af1d12a0e6f3577cc6", "1700000000", "1234567890", C4Encrypt, out var message));
        Assert.Equal(C4Plain, Encoding.UTF8.GetString(message));
    }

    [Fact]
    public void Seal_DerivedReplyVectorC4_MatchesEnvelope()
    {
        var crypto = new WeComCrypto(QdgToken, QdgKey, "");
        var reply = Encoding.UTF8.GetBytes("{\"msgtype\":\"stream\",\"stream\":{\"id\":\"STREAMID\",\"finish\":false,\"content\":\"hi\"}}");

        var envelope = crypto.Seal(reply, 1700000001, "1234567890", Encoding.ASCII.GetBytes("fedcba9876543210"));

        Assert.Equal("P9TP8OO8ZpJE35Ha/87+5C80fRznWdfL56TSaYwP6hufIP1eQ1y4A1rhykF68B/dZxxcL3P3rU4adOzz19YQMEJf/iknzIJ3DQtmGIsWL7q8djP6pMzQNRrj33S1opirZvQq0kGWh13xEaqidbjgGHXLJAOtxydCSTSeJa7esaU=", envelope.Encrypt);
        Assert.Equal("b07d3d55e2f7419dac6d295c15ecc25d8b6b943b", envelope.MsgSignature);
        Assert.Equal(1700000001, envelope.Timestamp);
        Assert.Equal("1234567890", envelope.Nonce);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(44)]
    [InlineData(5000)]
    public void EncryptDecrypt_AnyLength_RoundTrips(int length)
    {
        var crypto = new WeComCrypto(QdgToken, QdgKey, "");
        var message = Encoding.UTF8.GetBytes(new string('物', length));

        var encrypted = crypto.Encrypt(message);

        Assert.Equal(0, Convert.FromBase64String(encrypted).Length % 32);
        Assert.Equal(WeComCryptoError.None, crypto.TryDecrypt(encrypted, out var back));
        Assert.Equal(message, back);
    }

    [Fact]
    public void Open_TamperedSignature_FailsWithInvalidSignature()
    {
        var error = Qdg.TryOpen("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4", "1409659589", "263014780", C1Echo, out var message);

        Assert.Equal(WeComCryptoError.InvalidSignature, error);
        Assert.Empty(message);
    }

    [Fact]
    public void Open_TamperedTimestamp_FailsWithInvalidSignature()
    {
        Assert.Equal(WeComCryptoError.InvalidSignature, Qdg.TryOpen("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659590", "263014780", C1Echo, out _));
        Assert.Equal(WeComCryptoError.InvalidSignature, Qdg.TryOpen(null, "1409659589", "263014780", C1Echo, out _));
    }

    [Fact]
    public void Decrypt_WrongReceiveId_FailsWithReceiveIdMismatch()
    {
        var crypto = new WeComCrypto(QdgToken, QdgKey, "");

        Assert.Equal(WeComCryptoError.ReceiveIdMismatch, crypto.TryDecrypt(C1Echo, out _));
    }

    [Fact]
    public void Decrypt_BadBase64_FailsWithInvalidBase64()
    {
        Assert.Equal(WeComCryptoError.InvalidBase64, Qdg.TryDecrypt("not base64 !!", out _));
    }

    [Fact]
    public void Decrypt_NotWholeBlocks_FailsWithInvalidCiphertext()
    {
        Assert.Equal(WeComCryptoError.InvalidCiphertext, Qdg.TryDecrypt(Convert.ToBase64String(new byte[20]), out _));
    }

    [Fact]
    public void Decrypt_BadPadding_FailsWithInvalidPadding()
    {
        // A validly encrypted buffer whose last byte claims a pad of 40 (outside 1..32).
        var crypto = new WeComCrypto(QdgToken, QdgKey, "");
        var plain = new byte[64];
        plain.AsSpan(32).Fill(40); // a pad byte of 40 is outside 1..32
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = Convert.FromBase64String(QdgKey + "=");
        var cipher = aes.EncryptCbc(plain, aes.Key.AsSpan(0, 16), System.Security.Cryptography.PaddingMode.None);

        Assert.Equal(WeComCryptoError.InvalidPadding, crypto.TryDecrypt(Convert.ToBase64String(cipher), out _));
    }

    [Fact]
    public void Decrypt_UnequalPadBytes_FailsWithInvalidPadding()
    {
        var plain = new byte[64];
        plain.AsSpan(60).Fill(4);
        plain[61] = 3;
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = Convert.FromBase64String(QdgKey + "=");
        var cipher = aes.EncryptCbc(plain, aes.Key.AsSpan(0, 16), System.Security.Cryptography.PaddingMode.None);

        Assert.Equal(WeComCryptoError.InvalidPadding, Qdg.TryDecrypt(Convert.ToBase64String(cipher), out _));
    }

    [Fact]
    public void Decrypt_LengthBeyondBuffer_FailsWithInvalidLength()
    {
        var plain = new byte[64];
        plain[16] = 0x7f; // msg_len far beyond the buffer
        plain.AsSpan(32).Fill(32);
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = Convert.FromBase64String(QdgKey + "=");
        var cipher = aes.EncryptCbc(plain, aes.Key.AsSpan(0, 16), System.Security.Cryptography.PaddingMode.None);

        Assert.Equal(WeComCryptoError.InvalidLength, Qdg.TryDecrypt(Convert.ToBase64String(cipher), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2")]
    [InlineData("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2+")]
    public void Constructor_MalformedKey_Throws(string key)
    {
        Assert.False(WeComCrypto.IsValidEncodingAesKey(key));
        Assert.Throws<ArgumentException>(() => new WeComCrypto(QdgToken, key, ""));
    }
}
