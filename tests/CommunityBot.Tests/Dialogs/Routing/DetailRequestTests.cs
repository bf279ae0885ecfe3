using CommunityBot.Dialogs.Understanding;
using CommunityBot.Notices;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Dialogs.Routing;

/// <summary>
/// Issue 13 item 4: the time and phone recognizers cost milliseconds per message, so only grievance intake asks for
/// those details; an FAQ turn asks for nothing, or for a place when a notice might answer it.
/// </summary>
public sealed class DetailRequestTests : IDisposable
{
    private readonly BotHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task Faq_PlainQuestion_ExtractsNoDetails()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 物业电话多少")
            .AssertReplyContains("物业")
            .RunAsync();

        Assert.Empty(_bot.Directory.DetailRequests);
    }

    [Fact]
    public async Task Faq_QuestionANoticeAnswers_ExtractsOnlyThePlace()
    {
        await _bot.Notices.CreateAsync(new Notice
        {
            Title = "幸福里停水通知",
            Text = "因管网维修，今晚停水。",
            Category = "水电气暖",
            Keywords = NoticeKeywords.Defaults("水电气暖", "停水通知").ToList(),
            CommunityId = "FH-01",
            Places = [new NoticePlace { CompoundId = "xfl", CompoundName = "幸福里小区", Buildings = ["5号楼"] }],
            StartUtc = new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc),
            EndUtc = new DateTime(2026, 11, 23, 22, 0, 0, DateTimeKind.Utc),
            Author = "boss",
            CreatedUtc = new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc),
        });

        await _bot.Conversation()
            .As("alice").Send("@小灵通 幸福里5号楼怎么又停水了")
            .AssertReplyContains("因管网维修")
            .RunAsync();

        Assert.Equal([DetailKinds.Location], _bot.Directory.DetailRequests.Distinct());
    }

    [Fact]
    public async Task Grievance_FirstMessage_ExtractsTimesAndPhones()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 我要报修：幸福里5号楼楼下烧烤店天天半夜吵得睡不着")
            .AssertReply(r => Assert.NotEmpty(r.Text))
            .RunAsync();

        Assert.Contains(_bot.Directory.DetailRequests, k => k.HasFlag(DetailKinds.When) && k.HasFlag(DetailKinds.Phones));
    }
}
