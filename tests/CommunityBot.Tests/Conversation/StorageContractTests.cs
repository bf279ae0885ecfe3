using CommunityBot.Conversation;
using CommunityBot.Tests.Harness;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

namespace CommunityBot.Tests.Conversation;

/// <summary>
/// The state storage contract, one set of assertions for every implementation (<see cref="LiteDbStorageTests"/>,
/// <see cref="Storage.Postgres.PostgresStorageTests"/>): the SDK's ETag rules, the turn-scoped held writes and their commit,
/// the writes at once, prefix search and idle cleanup. Each concrete class starts every test on an empty store.
/// </summary>
public abstract class StorageContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(Start);

    protected abstract IStorage Storage { get; }

    /// <summary>Starts holding this async flow's writes (the implementation's <c>BeginTurn</c>).</summary>
    protected abstract StorageTurn BeginTurn();

    /// <summary>Applies a turn's held writes in the implementation's own commit (a LiteDB write, a PostgreSQL transaction).</summary>
    protected abstract Task CommitAsync(StorageTurn turn);

    protected abstract Task WriteNowAsync(IDictionary<string, object> changes);

    protected abstract Task<IReadOnlyList<(string Key, StoredItem Item)>> FindByPrefixAsync(string prefix, int limit);

    protected abstract Task<IReadOnlyList<(string Key, StoredItem Item)>> FindUsersOfAsync(string head, int limit);

    protected abstract Task<int> DeleteIdleSinceAsync(DateTimeOffset cutoff);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Write_ThenRead_ReturnsThePropertiesAndAnETag()
    {
        var item = new Note { Text = "5号楼", Count = 2 };
        await Storage.WriteAsync(new Dictionary<string, object> { ["k"] = item }, CancellationToken.None);

        var read = Assert.IsType<StoredItem>((await ReadAsync("k"))["k"]);
        Assert.Equal("5号楼", read["Text"]);
        Assert.Equal(2L, read["Count"]);
        Assert.False(string.IsNullOrEmpty(read.ETag));
        Assert.Equal(item.ETag, read.ETag);
        Assert.DoesNotContain("ETag", read.Keys);
    }

    [ContractFact]
    public async Task Read_MissingKey_IsLeftOut()
    {
        await Storage.WriteAsync(new Dictionary<string, object> { ["a"] = new Note() }, CancellationToken.None);

        var read = await ReadAsync("a", "missing");

        Assert.Equal(["a"], read.Keys);
    }

    [ContractFact]
    public async Task Write_EveryWrite_GivesANewETag()
    {
        var item = new Note();
        await WriteAsync("k", item);
        var first = item.ETag;
        await WriteAsync("k", item);

        Assert.NotEqual(first, item.ETag);
        Assert.Equal(item.ETag, ((StoredItem)(await ReadAsync("k"))["k"]).ETag);
    }

    [ContractFact]
    public async Task Write_StaleETag_ThrowsAndKeepsTheStoredItem()
    {
        await WriteAsync("k", new Note { Text = "first" });
        var reader1 = (StoredItem)(await ReadAsync("k"))["k"];
        var reader2 = (StoredItem)(await ReadAsync("k"))["k"];
        reader1["Text"] = "second";
        await WriteAsync("k", reader1);

        reader2["Text"] = "lost update";
        await Assert.ThrowsAsync<StorageConflictException>(() => WriteAsync("k", reader2));

        Assert.Equal("second", ((StoredItem)(await ReadAsync("k"))["k"])["Text"]);
    }

    [ContractFact]
    public async Task Write_WildcardOrNoETag_Overwrites()
    {
        foreach (var (key, eTag) in new[] { ("star", "*"), ("none", null), ("empty", "") })
        {
            await WriteAsync(key, new Note { Text = "first" });

            await WriteAsync(key, new Note { Text = "second", ETag = eTag });

            Assert.Equal("second", ((StoredItem)(await ReadAsync(key))[key])["Text"]);
        }
    }

    [ContractFact]
    public async Task Write_ETagOnANewKey_Writes()
    {
        await WriteAsync("new", new Note { Text = "x", ETag = "from-elsewhere" });

        Assert.Equal("x", ((StoredItem)(await ReadAsync("new"))["new"])["Text"]);
    }

    [ContractFact]
    public async Task Write_PlainDictionary_OverwritesWithoutACheck()
    {
        await WriteAsync("k", new Note { Text = "first" });

        await WriteAsync("k", new Dictionary<string, object> { ["Text"] = "second" });

        Assert.Equal("second", ((StoredItem)(await ReadAsync("k"))["k"])["Text"]);
    }

    [ContractFact]
    public async Task Write_OneStaleETagAmongSeveral_WritesNoneOfThem()
    {
        await WriteAsync("stale", new Note { Text = "first" });
        var old = (StoredItem)(await ReadAsync("stale"))["stale"];
        await WriteAsync("stale", new Note { Text = "second" });
        old["Text"] = "lost update";

        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.WriteAsync(
            new Dictionary<string, object> { ["fresh"] = new Note { Text = "new" }, ["stale"] = old }, CancellationToken.None));

        Assert.Empty(await ReadAsync("fresh"));
        Assert.Equal("second", ((StoredItem)(await ReadAsync("stale"))["stale"])["Text"]);
    }

    [ContractFact]
    public async Task Delete_RemovesTheItem()
    {
        await WriteAsync("k", new Note());

        await Storage.DeleteAsync(["k"], CancellationToken.None);

        Assert.Empty(await ReadAsync("k"));
    }

    [ContractFact]
    public async Task PrivateConversationState_SavesAndLoadsPerResident()
    {
        var state = new PrivateConversationState(Storage);
        var dialog = state.CreateProperty<Note>("dialog");
        var alice = new Microsoft.Bot.Builder.TurnContext(new TestAdapter(), Message("g1", "alice"));
        await state.LoadAsync(alice);
        await dialog.SetAsync(alice, new Note { Text = "intake", Count = 1 });
        await state.SaveChangesAsync(alice);

        var again = new Microsoft.Bot.Builder.TurnContext(new TestAdapter(), Message("g1", "alice"));
        await state.LoadAsync(again);
        var bob = new Microsoft.Bot.Builder.TurnContext(new TestAdapter(), Message("g1", "bob"));
        await state.LoadAsync(bob);

        Assert.Equal("intake", (await dialog.GetAsync(again, () => new Note())).Text);
        Assert.Null((await dialog.GetAsync(bob, () => new Note())).Text);
        Assert.Single(await ReadAsync("test/conversations/g1/users/alice"));
    }

    [ContractFact]
    public async Task PrivateConversationState_ConcurrentSaveOfTheSameResident_SecondThrows()
    {
        var state = new PrivateConversationState(Storage);
        var dialog = state.CreateProperty<Note>("dialog");
        var seed = new Microsoft.Bot.Builder.TurnContext(new TestAdapter(), Message("g1", "alice"));
        await state.LoadAsync(seed);
        await dialog.SetAsync(seed, new Note { Text = "seed" });
        await state.SaveChangesAsync(seed);

        var first = new Microsoft.Bot.Builder.TurnContext(new TestAdapter(), Message("g1", "alice"));
        var second = new Microsoft.Bot.Builder.TurnContext(new TestAdapter(), Message("g1", "alice"));
        await state.LoadAsync(first);
        await state.LoadAsync(second);
        await dialog.SetAsync(first, new Note { Text = "first" });
        await state.SaveChangesAsync(first);
        await dialog.SetAsync(second, new Note { Text = "second" });

        await Assert.ThrowsAsync<StorageConflictException>(() => state.SaveChangesAsync(second));
    }

    [ContractFact]
    public async Task Turn_WritesAreHeldUntilCommitted_AndSeenInsideTheTurn()
    {
        StorageTurn? turn = null;
        IDictionary<string, object>? insideRead = null;
        await Task.Run(async () =>
        {
            turn = BeginTurn();
            await WriteAsync("k", new Note { Text = "held" });
            insideRead = await ReadAsync("k");
        });

        Assert.Equal("held", ((StoredItem)insideRead!["k"])["Text"]);
        Assert.Empty(await ReadAsync("k"));

        await CommitAsync(turn!);

        Assert.Equal("held", ((StoredItem)(await ReadAsync("k"))["k"])["Text"]);
    }

    [ContractFact]
    public async Task Turn_DeleteIsHeldUntilCommitted()
    {
        await WriteAsync("k", new Note { Text = "kept" });
        StorageTurn? turn = null;
        await Task.Run(async () =>
        {
            turn = BeginTurn();
            await Storage.DeleteAsync(["k"], CancellationToken.None);
            Assert.Empty(await ReadAsync("k"));
        });

        Assert.Single(await ReadAsync("k"));
        await CommitAsync(turn!);
        Assert.Empty(await ReadAsync("k"));
    }

    [ContractFact]
    public async Task Turn_StaleETagInsideTheTurn_ThrowsAtOnceAndHoldsNothing()
    {
        await WriteAsync("k", new Note { Text = "first" });
        var old = (StoredItem)(await ReadAsync("k"))["k"];
        await WriteAsync("k", new Note { Text = "second" });
        StorageTurn? turn = null;
        await Task.Run(async () =>
        {
            turn = BeginTurn();
            old["Text"] = "lost update";
            await Assert.ThrowsAsync<StorageConflictException>(() => Storage.WriteAsync(
                new Dictionary<string, object> { ["other"] = new Note { Text = "x" }, ["k"] = old }, CancellationToken.None));
        });

        Assert.Empty(turn!.Writes);
    }

    [ContractFact]
    public async Task Turn_ItemChangedOutsideBeforeCommit_CommitThrowsAndWritesNothing()
    {
        await WriteAsync("k", new Note { Text = "before" });
        await WriteAsync("other", new Note { Text = "before" });
        StorageTurn? turn = null;
        await Task.Run(async () =>
        {
            turn = BeginTurn();
            var read = await ReadAsync("k", "other");
            ((StoredItem)read["k"])["Text"] = "turn";
            ((StoredItem)read["other"])["Text"] = "turn";
            await Storage.WriteAsync(read, CancellationToken.None);
        });
        var outside = (StoredItem)(await ReadAsync("k"))["k"];
        outside["Text"] = "outside";
        await WriteAsync("k", outside);

        await Assert.ThrowsAsync<StorageConflictException>(() => CommitAsync(turn!));

        Assert.Equal("outside", ((StoredItem)(await ReadAsync("k"))["k"])["Text"]);
        Assert.Equal("before", ((StoredItem)(await ReadAsync("other"))["other"])["Text"]);
    }

    [ContractFact]
    public async Task Turn_TwoTurnsFromTheSameRead_SecondCommitThrows()
    {
        await WriteAsync("k", new Note { Text = "before" });
        var turns = new List<StorageTurn>();
        foreach (var text in new[] { "first", "second" })
        {
            await Task.Run(async () =>
            {
                turns.Add(BeginTurn());
                var read = (StoredItem)(await ReadAsync("k"))["k"];
                read["Text"] = text;
                await WriteAsync("k", read);
            });
        }

        await CommitAsync(turns[0]);
        await Assert.ThrowsAsync<StorageConflictException>(() => CommitAsync(turns[1]));

        Assert.Equal("first", ((StoredItem)(await ReadAsync("k"))["k"])["Text"]);
    }

    [ContractFact]
    public async Task Turn_SecondSaveInTheSameTurn_CarriesTheNewETagAndCommits()
    {
        await WriteAsync("k", new Note { Text = "before" });
        StorageTurn? turn = null;
        await Task.Run(async () =>
        {
            turn = BeginTurn();
            var read = (StoredItem)(await ReadAsync("k"))["k"];
            read["Text"] = "one";
            await WriteAsync("k", read);
            read["Text"] = "two";
            await WriteAsync("k", read);
        });

        await CommitAsync(turn!);

        Assert.Equal("two", ((StoredItem)(await ReadAsync("k"))["k"])["Text"]);
    }

    [ContractFact]
    public async Task WriteNow_InsideATurn_IsWrittenAtOnce_AndChecksTheETag()
    {
        await WriteAsync("other", new Note { Text = "first" });
        var old = (StoredItem)(await ReadAsync("other"))["other"];
        await Task.Run(async () =>
        {
            BeginTurn();
            var item = (StoredItem)(await ReadAsync("other"))["other"];
            item["Text"] = "now";
            await WriteNowAsync(new Dictionary<string, object> { ["other"] = item });
            old["Text"] = "lost update";
            await Assert.ThrowsAsync<StorageConflictException>(() => WriteNowAsync(new Dictionary<string, object> { ["other"] = old }));
        });

        Assert.Equal("now", ((StoredItem)(await ReadAsync("other"))["other"])["Text"]);
    }

    [ContractFact]
    public async Task Write_LongKey_IsBoundedAndStillFound()
    {
        var key = "wecom/conversations/" + new string('群', 400) + "/users/alice";

        await WriteAsync(key, new Note { Text = "x" });

        Assert.Equal("x", ((StoredItem)(await ReadAsync(key))[key])["Text"]);
    }

    [ContractFact]
    public async Task Read_NestedObject_ConvertsThroughJObject()
    {
        await WriteAsync("k", new Dictionary<string, object> { ["dialog"] = new Note { Text = "嵌套", Count = 3 } });

        var nested = Assert.IsType<JObject>(((StoredItem)(await ReadAsync("k"))["k"])["dialog"]);
        Assert.Equal(3, nested.ToObject<Note>()!.Count);
    }

    [ContractFact]
    public async Task FindByPrefix_ReturnsTheMatchingItemsUpToTheLimit()
    {
        foreach (var key in new[] { "p/1", "p/2", "p/3", "q/1", "p" })
        {
            await WriteAsync(key, new Note { Text = key });
        }

        var found = await FindByPrefixAsync("p/", 10);
        var limited = await FindByPrefixAsync("p/", 2);

        Assert.Equal(["p/1", "p/2", "p/3"], found.Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.Equal("p/2", found.Single(f => f.Key == "p/2").Item["Text"]);
        Assert.Equal(2, limited.Count);
        Assert.All(limited, f => Assert.StartsWith("p/", f.Key, StringComparison.Ordinal));
    }

    [ContractFact]
    public async Task FindByPrefix_WildcardsAndCaseInThePrefix_MatchLiterally()
    {
        // Conversation ids carry '_' (and may carry '%') and are case-sensitive: a prefix must never reach another
        // conversation's residents.
        foreach (var key in new[] { "a%b/1", "axb/2", "a_b/3", "aab/4", @"a\b/5", "Case/6" })
        {
            await WriteAsync(key, new Note());
        }

        Assert.Equal(["a%b/1"], (await FindByPrefixAsync("a%b", 10)).Select(f => f.Key));
        Assert.Equal(["a_b/3"], (await FindByPrefixAsync("a_b", 10)).Select(f => f.Key));
        Assert.Equal([@"a\b/5"], (await FindByPrefixAsync(@"a\b", 10)).Select(f => f.Key));
        Assert.Empty(await FindByPrefixAsync("case", 10));
    }

    [ContractFact]
    public async Task FindUsersOf_LongConversationId_FindsThatConversationsUsersOnly()
    {
        var head = "wecom/conversations/" + new string('群', 400);
        await WriteAsync(head + "/users/alice", new Note { Text = "a" });
        await WriteAsync(head + "/users/bob", new Note { Text = "b" });
        await WriteAsync(head + "x/users/carol", new Note { Text = "c" });

        var found = await FindUsersOfAsync(head, 10);

        Assert.Equal(["a", "b"], found.Select(f => (string)f.Item["Text"]).Order(StringComparer.Ordinal));
    }

    [ContractFact]
    public async Task DeleteIdleSince_RemovesItemsWrittenLastBeforeTheCutoff()
    {
        await WriteAsync("idle", new Note());
        await WriteAsync("touched", new Note());
        Time.Advance(TimeSpan.FromHours(2));
        await WriteAsync("touched", new Note { Text = "again" });
        await WriteAsync("new", new Note());

        var deleted = await DeleteIdleSinceAsync(Start + TimeSpan.FromHours(1));

        Assert.Equal(1, deleted);
        Assert.Equal(["new", "touched"], (await ReadAsync("idle", "touched", "new")).Keys.Order(StringComparer.Ordinal));
    }

    protected Task WriteAsync(string key, object value) =>
        Storage.WriteAsync(new Dictionary<string, object> { [key] = value }, CancellationToken.None);

    protected Task<IDictionary<string, object>> ReadAsync(params string[] keys) => Storage.ReadAsync(keys, CancellationToken.None);

    private static Activity Message(string conversation, string user) => new()
    {
        Type = ActivityTypes.Message,
        ChannelId = "test",
        Conversation = new ConversationAccount { Id = conversation },
        From = new ChannelAccount { Id = user },
        Recipient = new ChannelAccount { Id = "bot" },
    };

    public sealed class Note : IStoreItem
    {
        public string? Text { get; set; }
        public int Count { get; set; }
        public string? ETag { get; set; }
    }
}
