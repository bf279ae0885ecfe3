using System.Text;
using CommunityBot.Channels.BotFramework;

namespace CommunityBot.Tests.Channels.BotFramework;

/// <summary>The check of a body before the SDK's lenient reader sees it.</summary>
public class ActivityJsonTests
{
    private static string? Check(string json) => ActivityJson.FindProblem(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{"type":"message"}""")]
    [InlineData("""{"type":"typing","x":[1,{"y":"\u4f60\ud83d\ude00"}]}""")] // escapes that make valid UTF-16, a surrogate pair too
    [InlineData("""{"text":"先","type":"conversationUpdate"}""")]
    [InlineData("""{"type":"mes\u0073age"}""")]
    public void Activity_WellFormed_NoProblem(string json) => Assert.Null(Check(json));

    [Theory]
    [InlineData("", ActivityJson.NotAnActivity)]
    [InlineData("null", ActivityJson.NotAnActivity)]
    [InlineData("[1,2]", ActivityJson.NotAnActivity)]
    [InlineData("\"x\"", ActivityJson.NotAnActivity)]
    [InlineData("""{"type":"message",""", ActivityJson.NotAnActivity)]
    [InlineData("""{"type":"message"} {}""", ActivityJson.NotAnActivity)]
    [InlineData("""{"type":5}""", ActivityJson.NoType)]
    [InlineData("""{"type":""}""", ActivityJson.NoType)]
    [InlineData("""{"type":{"name":"message"}}""", ActivityJson.NoType)]
    [InlineData("""{"value":{"type":"message"}}""", ActivityJson.NoType)] // only the activity's own type counts
    [InlineData("""{"type":"message","text":"\ud800"}""", ActivityJson.InvalidUtf16)]
    [InlineData("""{"type":"message","value":{"value":"a\udfffb"}}""", ActivityJson.InvalidUtf16)]
    [InlineData("""{"type":"message","channelData":{"\ud800":1}}""", ActivityJson.InvalidUtf16)]
    [InlineData("""{"type":"\ud83d"}""", ActivityJson.InvalidUtf16)]
    public void Activity_Malformed_IsAProblem(string json, string problem) => Assert.Equal(problem, Check(json));

    [Fact]
    public void Activity_InvalidUtf8_IsAProblem()
    {
        Assert.Equal(ActivityJson.NotAnActivity, ActivityJson.FindProblem([(byte)'{', 0xff, 0xfe, (byte)'}']));
    }

    [Fact]
    public void Activity_NestedDeeperThan64_IsAProblem()
    {
        var deep = """{"type":"message","channelData":""" + string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100)) + "}";

        Assert.Equal(ActivityJson.NotAnActivity, Check(deep));
    }
}
