using CommunityBot.Dialogs.Conversation;
using CommunityBot.Tests.Harness;
using CommunityBot.Tests.Understanding.Nlu;
using CommunityBot.Understanding.Nlu;

namespace CommunityBot.Tests.Dialogs.Grievance;

/// <summary>Issue 15, item 3: "我要投诉/我要报修/反映一下 …" is read exactly as the problem alone, with the shipped models.</summary>
public sealed class TriggerWordJourneyTests(ShippedModelsFixture models) : IClassFixture<ShippedModelsFixture>, IDisposable
{
    private const string Problem = "幸福里小区5号楼楼下烧烤店天天半夜吵得睡不着";

    private static readonly string[] Prefixes = ["我要投诉 ", "我要报修：", "反映一下，", "我要举报", "你好，我想反映一下 ", "投诉"];

    private readonly List<BotHarness> _bots = [];

    public void Dispose() => _bots.ForEach(b => b.Dispose());

    [Fact]
    public void Classifier_WithATriggerPrefix_GivesTheProblemsCategoryAndScores()
    {
        var classifier = models.Classifier();
        var texts = NluDataset.Read(Path.Combine(NluModelStore.DefaultShippedDir, "test-categories.csv")).Select(e => e.Text).ToList();
        Assert.NotEmpty(texts);
        foreach (var (text, i) in texts.Select((t, i) => (t, i)))
        {
            var alone = classifier.Classify(text);
            var prefixed = classifier.Classify(Prefixes[i % Prefixes.Length] + text);
            Assert.Equal(alone.Category, prefixed.Category);
            Assert.Equal(alone.CategoryScore, prefixed.CategoryScore);
            Assert.Equal(alone.CategoryCandidates, prefixed.CategoryCandidates);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Intake_WithATriggerPrefix_AsksWhatTheProblemAloneAsks(bool tiedGroup)
    {
        // In the tied group the compound is left out of the message: the group supplies it.
        var problem = tiedGroup ? Problem["幸福里小区".Length..] : Problem;
        var alone = await FirstRepliesAsync(problem, tiedGroup);
        Assert.NotEqual("请问是哪类问题？", alone[0].Text); // the shipped model is sure of this one
        Assert.DoesNotContain(alone, r => r.Text == "在哪个小区？");
        foreach (var prefix in Prefixes)
        {
            var prefixed = await FirstRepliesAsync(prefix + problem, tiedGroup);
            Assert.Equal(alone.Select(r => r.Text), prefixed.Select(r => r.Text));
            Assert.Equal(alone.Select(r => string.Join("|", r.Buttons.Select(b => b.Value))), prefixed.Select(r => string.Join("|", r.Buttons.Select(b => b.Value))));
        }
    }

    /// <summary>The intake's replies up to the summary, skipping the photo: what the resident is asked and shown.</summary>
    private async Task<List<OutboundMessage>> FirstRepliesAsync(string text, bool tiedGroup)
    {
        var bot = new BotHarness(classifier: models.Classifier());
        _bots.Add(bot);
        if (tiedGroup)
        {
            await bot.TieGroupAsync("group-1", "xfl");
        }

        var replies = new List<OutboundMessage>();
        await bot.Conversation()
            .As("alice").Send("@小灵通 " + text)
            .AssertReply(replies.Add)
            .Send("跳过")
            .AssertReply(replies.Add)
            .RunAsync();
        return replies;
    }
}
