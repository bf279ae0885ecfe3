using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using CommunityBot.Channels.WeCom;

namespace CommunityBot.Tests.Channels.WeCom;

/// <summary>Our crypto against Tencent's official npm package @wecom/crypto, in both directions (tests/wecom-interop).</summary>
public sealed class WeComInteropTests
{
    private const string Token = "QDG6eK";
    private const string Key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    private static readonly string Callback = new JsonObject
    {
        ["msgid"] = "INTEROP-1",
        ["aibotid"] = "AIBOTID",
        ["chatid"] = "CHATID",
        ["chattype"] = "group",
        ["from"] = new JsonObject { ["userid"] = "zhangsan" },
        ["response_url"] = "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=X",
        ["msgtype"] = "text",
        ["text"] = new JsonObject { ["content"] = "@小灵通 5号楼的电梯又坏了，已经三天了😡" },
    }.ToJsonString();

    [WeComInteropFact]
    public async Task OfficialPackageSeal_OurCryptoOpens_SamePlaintext()
    {
        var sealedByTencent = await RunNodeAsync(new JsonObject
        {
            ["op"] = "seal", ["key"] = Key, ["token"] = Token, ["receiveId"] = "",
            ["timestamp"] = "1700000000", ["nonce"] = "1234567890", ["message"] = Callback,
        });

        var error = new WeComCrypto(Token, Key, "").TryOpen(
            sealedByTencent["signature"]!.GetValue<string>(), "1700000000", "1234567890",
            sealedByTencent["encrypt"]!.GetValue<string>(), out var message);

        Assert.Equal(WeComCryptoError.None, error);
        Assert.Equal(Callback, Encoding.UTF8.GetString(message));
    }

    [WeComInteropFact]
    public async Task OfficialPackageSealWithCorpId_OurCryptoChecksReceiveId()
    {
        var sealedByTencent = await RunNodeAsync(new JsonObject
        {
            ["op"] = "seal", ["key"] = Key, ["token"] = Token, ["receiveId"] = "wx5823bf96d3bd56c7",
            ["timestamp"] = "1", ["nonce"] = "2", ["message"] = "hello",
        });
        var signature = sealedByTencent["signature"]!.GetValue<string>();
        var encrypt = sealedByTencent["encrypt"]!.GetValue<string>();

        Assert.Equal(WeComCryptoError.None, new WeComCrypto(Token, Key, "wx5823bf96d3bd56c7").TryOpen(signature, "1", "2", encrypt, out _));
        Assert.Equal(WeComCryptoError.ReceiveIdMismatch, new WeComCrypto(Token, Key, "").TryOpen(signature, "1", "2", encrypt, out _));
    }

    [WeComInteropFact]
    public async Task OurSealedReply_OfficialPackageVerifiesAndDecrypts()
    {
        var reply = "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"幸福里物业服务中心电话：0371-66001234（24小时）。\"}}";
        var sealedByUs = new WeComCrypto(Token, Key, "").Seal(Encoding.UTF8.GetBytes(reply), 1700000001, "1234567890");

        var opened = await RunNodeAsync(new JsonObject
        {
            ["op"] = "open", ["key"] = Key, ["token"] = Token, ["timestamp"] = "1700000001", ["nonce"] = sealedByUs.Nonce,
            ["encrypt"] = sealedByUs.Encrypt, ["signature"] = sealedByUs.MsgSignature,
        });

        Assert.Equal(reply, opened["message"]!.GetValue<string>());
        Assert.Equal("", opened["id"]!.GetValue<string>());
    }

    private static async Task<JsonNode> RunNodeAsync(JsonObject request)
    {
        var start = new ProcessStartInfo(WeComInteropFactAttribute.NodePath!, "interop.js")
        {
            WorkingDirectory = WeComInteropFactAttribute.InteropDirectory!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(request.ToJsonString());
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, $"node interop.js failed ({node.ExitCode}): {await errors}");
        return JsonNode.Parse(await output)!;
    }
}
