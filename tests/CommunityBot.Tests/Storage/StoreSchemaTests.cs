using System.IO.Compression;
using System.Security.Cryptography;
using CommunityBot.Cli;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Faq;
using CommunityBot.Storage;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace CommunityBot.Tests.Storage;

public sealed class StoreSchemaTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "communitybot-schema-tests", Guid.NewGuid().ToString("N"));

    private StorageOptions Options => new() { DataDir = _dir };

    public void Dispose()
    {
        if (System.IO.Directory.Exists(_dir))
        {
            System.IO.Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Steps_OneForEachVersionBeforeTheCurrent()
    {
        var steps = StoreSchema.Steps.Count;
        Assert.Equal(StoreSchema.CurrentVersion, steps);
    }

    [Fact]
    public void Open_StoreOfPreviousRelease_UpgradedInPlaceKeepingItsData()
    {
        UnpackFixture("store-v0.db.gz");
        using (var before = new LiteDatabase($"Filename={Options.DatabasePath};Connection=direct"))
        {
            Assert.Contains("DuplicateKey", TicketIndexes(before));
        }

        var logger = new CollectingLogger<StoreSchemaTests>();

        using (var database = StorageExtensions.OpenDatabase(Options, logger))
        {
            Assert.Equal(StoreSchema.CurrentVersion, database.UserVersion);
            // Version 2 dropped the index nothing queries any more; the store's other indexes are all still there.
            Assert.DoesNotContain("DuplicateKey", TicketIndexes(database));
            Assert.Contains("Queue", TicketIndexes(database));
            var ticket = new TicketStore(database, new LiteDbWriter(database, new CollectingLogger<LiteDbWriter>())).Find("WT20261202-0001");
            Assert.NotNull(ticket);
            Assert.Equal("物业管理", ticket.Category);
            Assert.NotEmpty(ticket.Events);
            Assert.True(new FaqStore(database).Count() > 0);
        }

        var upgrade = Assert.Single(logger.Entries, e => e.Message.StartsWith("Upgrading the store", StringComparison.Ordinal));
        Assert.Equal(0, upgrade.Values["From"]);
        Assert.Equal(StoreSchema.CurrentVersion, upgrade.Values["To"]);
        Assert.Contains(logger.Entries, e => e.Message.StartsWith("Upgraded the store", StringComparison.Ordinal));

        // The version is recorded in the file: the next start upgrades nothing.
        var again = new CollectingLogger<StoreSchemaTests>();
        using (var reopened = StorageExtensions.OpenDatabase(Options, again))
        {
            Assert.Equal(StoreSchema.CurrentVersion, reopened.UserVersion);
        }

        Assert.Empty(again.Entries);
    }

    [Fact]
    public async Task Open_V2StoreWithADialogInProgress_TheDialogContinuesAfterTheUpgrade()
    {
        // A resident mid-grievance, waiting for the category, as the v2 build's LiteDbDialogStateStore held them in
        // dialog_state: id {channel}/{conversation}/{user}, the state as System.Text.Json, the time of its last write.
        const string StateKey = TestChannel.Name + "/group-1/alice";
        DialogState waiting;
        int alreadyThere;
        using (var before = new BotHarness())
        {
            await before.Conversation().As("alice").Send("@小灵通 投诉5号楼楼下烧烤店天天半夜吵得睡不着").AssertReply("请问是哪类问题？").RunAsync();
            waiting = (await before.States.LoadAsync(StateKey, CancellationToken.None))!;
        }

        UnpackFixture("store-v0.db.gz");
        using (var v2 = new LiteDatabase($"Filename={Options.DatabasePath};Connection=direct"))
        {
            StoreSchema.Upgrade(v2, "fixture", new CollectingLogger<StoreSchemaTests>(), StoreSchema.Steps.Take(2).ToList());
            Assert.Equal(2, v2.UserVersion);
            alreadyThere = v2.GetCollection("dialog_state").Count(); // the fixture's own, left by its last turns
            v2.GetCollection("dialog_state").Insert(new BsonDocument
            {
                ["_id"] = StateKey,
                ["Json"] = System.Text.Json.JsonSerializer.Serialize(waiting, DialogJson.Options),
                ["LastActive"] = waiting.LastActive.UtcDateTime,
            });
        }

        var logger = new CollectingLogger<StoreSchemaTests>();
        var database = StorageExtensions.OpenDatabase(Options, logger);
        using var after = new BotHarness(database: database);

        Assert.Equal(3, database.UserVersion);
        Assert.False(database.CollectionExists("dialog_state"));
        Assert.Contains(logger.Entries, e => e.Message.StartsWith($"Moved {alreadyThere + 1} dialog states into the residents' SDK state; 0 could not", StringComparison.Ordinal));
        await after.Conversation()
            .As("alice").Send("环境保护")
            .AssertReply("在哪个小区？")
            .RunAsync();
    }

    [Fact]
    public void Open_StoreOfNewerBuild_RefusedWithClearMessageAndLeftUnchanged()
    {
        using (var newer = StorageExtensions.OpenDatabase(Options))
        {
            newer.GetCollection("tickets").Insert(new BsonDocument { ["_id"] = "WT20990101-0001" });
            newer.UserVersion = StoreSchema.CurrentVersion + 1;
        }

        var before = SHA256.HashData(File.ReadAllBytes(Options.DatabasePath));

        var refused = Assert.Throws<StoreVersionException>(() => StorageExtensions.OpenDatabase(Options));

        Assert.Contains("newer CommunityBot", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"schema version {StoreSchema.CurrentVersion + 1}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(Options.DatabasePath)));
        // The lock was released: the refusal is not mistaken for "in use" by the next opener.
        using var lockFile = new FileStream(Options.DatabasePath + ".lock", FileMode.Open, FileAccess.ReadWrite, FileShare.None);
    }

    [Fact]
    public async Task Cli_StoreOfNewerBuild_ExitsWithTheReason()
    {
        using (var newer = StorageExtensions.OpenDatabase(Options))
        {
            newer.GetCollection("faq").Insert(new BsonDocument { ["_id"] = "x" });
            newer.UserVersion = StoreSchema.CurrentVersion + 1;
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLineApp.RunAsync(["faq", "export", Path.Combine(_dir, "kb.csv"), "--data-dir", _dir], TextReader.Null, output, error, CancellationToken.None);

        Assert.Equal(CliStorage.StoreTooNew, code);
        Assert.Contains("newer CommunityBot", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NewStore_StampedWithoutAnUpgrade()
    {
        var logger = new CollectingLogger<StoreSchemaTests>();

        using var database = StorageExtensions.OpenDatabase(Options, logger);

        Assert.Equal(StoreSchema.CurrentVersion, database.UserVersion);
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public void Upgrade_SeveralSteps_RunInOrderAndAFailedStepKeepsTheVersionBeforeIt()
    {
        using var database = new LiteDatabase(new MemoryStream());
        database.GetCollection("tickets").Insert(new BsonDocument { ["_id"] = "a" });
        var ran = new List<int>();
        IReadOnlyList<StoreUpgrade> steps =
        [
            new("one", db => ran.Add(db.UserVersion)),
            new("two", db => ran.Add(db.UserVersion)),
            new("three", _ => throw new InvalidOperationException("step three failed")),
        ];

        Assert.Throws<InvalidOperationException>(() => StoreSchema.Upgrade(database, "memory", new CollectingLogger<StoreSchemaTests>(), steps));

        Assert.Equal([0, 1], ran);
        Assert.Equal(2, database.UserVersion);
    }

    private static List<string> TicketIndexes(ILiteDatabase database) =>
        database.GetCollection("$indexes").Find(Query.EQ("collection", "tickets")).Select(i => i["name"].AsString).ToList();

    private void UnpackFixture(string name)
    {
        System.IO.Directory.CreateDirectory(_dir);
        using var packed = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Storage", "Fixtures", name));
        using var gzip = new GZipStream(packed, CompressionMode.Decompress);
        using var file = File.Create(Options.DatabasePath);
        gzip.CopyTo(file);
    }
}
