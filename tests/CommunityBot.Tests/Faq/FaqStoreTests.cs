using CommunityBot.Dialogs.Understanding;
using CommunityBot.Faq;
using LiteDB;

namespace CommunityBot.Tests.Faq;

public class FaqStoreTests
{
    private static FaqEntry Entry(string id, string question) => new() { Id = id, Question = question, Answer = "答案" + id };

    [Fact]
    public void Upsert_ExistingAndNewIds_KeepsOthers()
    {
        using var db = new LiteDatabase(new MemoryStream());
        var store = new FaqStore(db);
        store.ReplaceAll([Entry("a", "问题A"), Entry("b", "问题B")]);

        store.Upsert([Entry("b", "新问题B"), Entry("c", "问题C")]);

        Assert.Equal(["a", "b", "c"], store.All().Select(e => e.Id));
        Assert.Equal("新问题B", store.Find("b")!.Question);
    }

    [Fact]
    public void ReplaceAll_NewEntries_RemovesTheOldOnes()
    {
        using var db = new LiteDatabase(new MemoryStream());
        var store = new FaqStore(db);
        store.ReplaceAll([Entry("a", "问题A"), Entry("b", "问题B")]);

        store.ReplaceAll([Entry("c", "问题C")]);

        Assert.Equal(["c"], store.All().Select(e => e.Id));
        Assert.Null(store.Find("a"));
    }

    [Fact]
    public void Find_SimilarPhrasings_AreStored()
    {
        using var db = new LiteDatabase(new MemoryStream());
        var store = new FaqStore(db);
        store.Upsert(new FaqEntry { Id = "a", Question = "问题", Similar = ["说法一", "说法二"], Answer = "答", Enabled = false });

        var entry = store.Find("a")!;

        Assert.Equal(["说法一", "说法二"], entry.Similar);
        Assert.False(entry.Enabled);
        Assert.Empty(store.Enabled());
    }

    [Fact]
    public async Task MissStore_Recent_ListsNewestFirst()
    {
        using var db = new LiteDatabase(new MemoryStream());
        using var writer = new CommunityBot.Storage.LiteDbWriter(db, Microsoft.Extensions.Logging.Abstractions.NullLogger<CommunityBot.Storage.LiteDbWriter>.Instance);
        var misses = new MissStore(db, writer);
        var at = new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);
        await misses.RecordAsync(new FaqMiss("旧问题", "webchat", "c1", at, null, 0), CancellationToken.None);
        await misses.RecordAsync(new FaqMiss("新问题", "webchat", "c1", at.AddMinutes(5), "a", 0.4), CancellationToken.None);

        var recent = misses.Recent();

        Assert.Equal(["新问题", "旧问题"], recent.Select(m => m.Text));
        Assert.Equal("a", recent[0].BestId);
        Assert.Equal(at.AddMinutes(5), recent[0].At);
    }
}
