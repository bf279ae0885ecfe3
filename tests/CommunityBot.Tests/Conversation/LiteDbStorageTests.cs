using CommunityBot.Conversation;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

namespace CommunityBot.Tests.Conversation;

/// <summary>The IStorage contract (the SDK's ETag rules) and the turn-scoped commit of <see cref="LiteDbStorage"/>.</summary>
public sealed class LiteDbStorageTests : IDisposable
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly LiteDbStorage _storage;

    public LiteDbStorageTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _storage = new LiteDbStorage(_database, _writer, new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero)));
    }

    public void Dispose()
    {
        _writer.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task Write_ThenRead_ReturnsThePropertiesAndAnETag()
    {
        var item = new Note { Text = "5号楼", Count = 2 };
        await _storage.WriteAsync(new Dictionary<string, object> { ["k"] = item }, CancellationToken.None);

        var read = Assert.IsType<StoredItem>((await ReadAsync("k"))["k"]);
        Assert.Equal("5号楼", read["Text"]);
        Assert.Equal(2L, read["Count"]);
        Assert.False(string.IsNullOrEmpty(read.ETag));
        Assert.Equal(item.ETag, read.ETag);
        Assert.DoesNotContain("ETag", read.Keys);
    }

    [Fact]
    public async Task Read_MissingKey_IsLeftOut()
    {
        await _storage.WriteAsync(new Dictionary<string, object> { ["a"] = new Note() }, CancellationToken.None);

        var read = await ReadAsync("a", "missing");

        Assert.Equal(["a"], read.Keys);
    }

    [Fact]
    public async Task Write_EveryWrite_GivesANewETag()
    {
        var item = new Note();
        await WriteAsync("k", item);
        var first = item.ETag;
        await WriteAsync("k", item);

        Assert.NotEqual(first, item.ETag);
        Assert.Equal(item.ETag, ((StoredItem)(await ReadAsync("k"))["k"]).ETag);
    }

    [Fact]
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

    [Theory]
    [InlineData("*")]
    [InlineData(null)]
    [InlineData("")]
    public async Task Write_WildcardOrNoETag_Overwrites(string? eTag)
    {
        await WriteAsync("k", new Note { Text = "first" });

        await WriteAsync("k", new Note { Text = "second", ETag = eTag });

        Assert.Equal("second", ((StoredItem)(await ReadAsync("k"))["k"])["Text"]);
    }

    [Fact]
    public async Task Write_ETagOnANewKey_Writes()
    {
        await WriteAsync("new", new Note { Text = "x", ETag = "from-elsewhere" });

        Assert.Equal("x", ((StoredItem)(await ReadAsync("new"))["new"])["Text"]);
    }

    [Fact]
    public async Task Write_PlainDictionary_OverwritesWithoutACheck()
    {
        await WriteAsync("k", new Note { Text = "first" });

        await WriteAsync("k", new Dictionary<string, object> { ["Text"] = "second" });

        Assert.Equal("second", ((StoredItem)(await ReadAsync("k"))["k"])["Text"]);
    }

    [Fact]
    public async Task Delete_RemovesTheItem()
    {
        await WriteAsync("k", new Note());

        await _storage.DeleteAsync(["k"], CancellationToken.None);

        Assert.Empty(await ReadAsync("k"));
    }

    [Fact]
    public async Task PrivateConversationState_SavesAndLoadsPerResident()
    {
        var state = new PrivateConversationState(_storage);
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

    [Fact]
    public async Task PrivateConversationState_ConcurrentSaveOfTheSameResident_SecondThrows()
    {
        var state = new PrivateConversationState(_storage);
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

    [Fact]
    public async Task Turn_WritesAreHeldUntilCommitted_AndSeenInsideTheTurn()
    {
        StorageTurn? turn = null;
        IDictionary<string, object>? insideRead = null;
        await Task.Run(async () =>
        {
            turn = _storage.BeginTurn();
            await WriteAsync("k", new Note { Text = "held" });
            insideRead = await ReadAsync("k");
        });

        Assert.Equal("held", ((StoredItem)insideRead!["k"])["Text"]);
        Assert.Empty(await ReadAsync("k"));

        await _writer.WriteAsync(_ => _storage.CommitInWrite(turn!));

        Assert.Equal("held", ((StoredItem)(await ReadAsync("k"))["k"])["Text"]);
    }

    [Fact]
    public async Task Turn_DeleteIsHeldUntilCommitted()
    {
        await WriteAsync("k", new Note { Text = "kept" });
        StorageTurn? turn = null;
        await Task.Run(async () =>
        {
            turn = _storage.BeginTurn();
            await _storage.DeleteAsync(["k"], CancellationToken.None);
            Assert.Empty(await ReadAsync("k"));
        });

        Assert.Single(await ReadAsync("k"));
        await _writer.WriteAsync(_ => _storage.CommitInWrite(turn!));
        Assert.Empty(await ReadAsync("k"));
    }

    [Fact]
    public async Task Turn_ItemChangedOutsideBeforeCommit_CommitThrowsAndWritesNothing()
    {
        await WriteAsync("k", new Note { Text = "before" });
        await WriteAsync("other", new Note { Text = "before" });
        StorageTurn? turn = null;
        await Task.Run(async () =>
        {
            turn = _storage.BeginTurn();
            var read = await ReadAsync("k", "other");
            ((StoredItem)read["k"])["Text"] = "turn";
            ((StoredItem)read["other"])["Text"] = "turn";
            await _storage.WriteAsync(read, CancellationToken.None);
        });
        var outside = (StoredItem)(await ReadAsync("k"))["k"];
        outside["Text"] = "outside";
        await WriteAsync("k", outside);

        await Assert.ThrowsAsync<StorageConflictException>(() => _writer.WriteAsync(_ => _storage.CommitInWrite(turn!)));

        Assert.Equal("outside", ((StoredItem)(await ReadAsync("k"))["k"])["Text"]);
        Assert.Equal("before", ((StoredItem)(await ReadAsync("other"))["other"])["Text"]);
    }

    [Fact]
    public async Task Turn_SecondSaveInTheSameTurn_CarriesTheNewETagAndCommits()
    {
        await WriteAsync("k", new Note { Text = "before" });
        StorageTurn? turn = null;
        await Task.Run(async () =>
        {
            turn = _storage.BeginTurn();
            var read = (StoredItem)(await ReadAsync("k"))["k"];
            read["Text"] = "one";
            await WriteAsync("k", read);
            read["Text"] = "two";
            await WriteAsync("k", read);
        });

        await _writer.WriteAsync(_ => _storage.CommitInWrite(turn!));

        Assert.Equal("two", ((StoredItem)(await ReadAsync("k"))["k"])["Text"]);
    }

    [Fact]
    public async Task Write_LongKey_IsBoundedAndStillFound()
    {
        var key = "wecom/conversations/" + new string('群', 400) + "/users/alice";

        await WriteAsync(key, new Note { Text = "x" });

        Assert.Equal("x", ((StoredItem)(await ReadAsync(key))[key])["Text"]);
    }

    [Fact]
    public async Task Read_NestedObject_ConvertsThroughJObject()
    {
        await WriteAsync("k", new Dictionary<string, object> { ["dialog"] = new Note { Text = "嵌套", Count = 3 } });

        var nested = Assert.IsType<JObject>(((StoredItem)(await ReadAsync("k"))["k"])["dialog"]);
        Assert.Equal(3, nested.ToObject<Note>()!.Count);
    }

    private Task WriteAsync(string key, object value) =>
        _storage.WriteAsync(new Dictionary<string, object> { [key] = value }, CancellationToken.None);

    private Task<IDictionary<string, object>> ReadAsync(params string[] keys) => _storage.ReadAsync(keys, CancellationToken.None);

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
