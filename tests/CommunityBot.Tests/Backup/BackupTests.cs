using System.Collections.Concurrent;
using System.Net;
using CommunityBot.Backup;
using CommunityBot.Cli;
using CommunityBot.Storage;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Backup;

public sealed class BackupTests : IDisposable
{
    private static readonly DateTimeOffset LocalNow = new(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(8));

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "communitybot-backup-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (System.IO.Directory.Exists(_dir))
        {
            System.IO.Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Backup_ServerUnderWriteLoad_RestoresTheTicketsAndEventsAcknowledgedBeforeIt()
    {
        var live = new StorageOptions { DataDir = Path.Combine(_dir, "live") };
        System.IO.Directory.CreateDirectory(live.DataDir);
        // The real server holds this lock through StorageExtensions.OpenDatabase; the test host opens the file itself.
        using var held = new FileStream(live.DatabasePath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        using var app = new BotApplication(new() { ["CommunityBot:DataDir"] = live.DataDir }, databaseFile: live.DatabasePath);
        using var client = app.CreateClient();
        var tickets = app.Services.GetRequiredService<TicketStore>();

        var acknowledged = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var enough = new ConcurrentDictionary<int, TaskCompletionSource>();
        TaskCompletionSource When(int count) => enough.GetOrAdd(count, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var ticket = await tickets.CreateAsync(NewTicket($"writer {w} ticket {i}"), LocalNow);
                acknowledged[ticket.Number] = ticket.Events.Count;
                var updated = await tickets.UpdateAsync(ticket.Number, t =>
                {
                    t.Events.Add(new TicketEvent { At = LocalNow.UtcDateTime, Actor = "w-test", Kind = TicketEventKind.Replied, Note = $"reply {i}" });
                    return true;
                });
                acknowledged[ticket.Number] = updated!.Events.Count;
                foreach (var (count, signal) in enough)
                {
                    if (acknowledged.Count >= count)
                    {
                        signal.TrySetResult();
                    }
                }
            }
        })).ToList();

        await When(60).Task;
        var beforeBackup = new Dictionary<string, int>(acknowledged, StringComparer.Ordinal);
        var file = Path.Combine(_dir, "backup.db");
        var output = new StringWriter();
        var error = new StringWriter();
        var backedUp = await BackupCommands.BackupAsync(live, file, output, error, client, CancellationToken.None);
        var afterBackup = acknowledged.Count;
        await When(afterBackup + 20).Task; // the server kept taking writes during and after the backup
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.True(backedUp == 0, error.ToString());
        Assert.Contains("through the running server", output.ToString(), StringComparison.Ordinal);
        var restoredDir = new StorageOptions { DataDir = Path.Combine(_dir, "restored") };
        Assert.Equal(0, BackupCommands.Restore(restoredDir, file, output, error));
        using var restored = StorageExtensions.OpenDatabase(restoredDir);
        var restoredTickets = restored.GetCollection<Ticket>("tickets").FindAll().ToDictionary(t => t.Number, StringComparer.Ordinal);
        var liveTickets = tickets.All().ToDictionary(t => t.Number, StringComparer.Ordinal);
        foreach (var (number, events) in beforeBackup)
        {
            Assert.True(restoredTickets.TryGetValue(number, out var ticket), $"{number} was acknowledged before the backup but is missing");
            Assert.True(ticket.Events.Count >= events, $"{number}: {ticket.Events.Count} events restored, {events} acknowledged");
        }

        // Nothing torn or invented: every restored ticket is a live one as it stood at some moment.
        foreach (var ticket in restoredTickets.Values)
        {
            var now = liveTickets[ticket.Number];
            Assert.Equal(now.Description, ticket.Description);
            Assert.Equal(
                now.Events.Take(ticket.Events.Count).Select(e => (e.Kind, e.Note)),
                ticket.Events.Select(e => (e.Kind, e.Note)));
        }

        Assert.True(restoredTickets.Count < liveTickets.Count, "the writes after the backup are not in it");
    }

    [Fact]
    public async Task Backup_ThroughServer_RefusedWithoutTheTokenOrFromAnotherMachine()
    {
        using var app = new BotApplication();
        using var client = app.CreateClient();
        var token = app.Services.GetRequiredService<ControlToken>().Value;

        var noToken = new HttpRequestMessage(HttpMethod.Post, BackupEndpoints.BackupPath);
        var wrongToken = new HttpRequestMessage(HttpMethod.Post, BackupEndpoints.BackupPath);
        wrongToken.Headers.Authorization = new("Bearer", token[..^1] + "x");
        var remote = new HttpRequestMessage(HttpMethod.Post, BackupEndpoints.BackupPath);
        remote.Headers.Authorization = new("Bearer", token);
        remote.Headers.Add(BotApplication.ClientAddressHeader, "203.0.113.7");
        var local = new HttpRequestMessage(HttpMethod.Post, BackupEndpoints.BackupPath);
        local.Headers.Authorization = new("Bearer", token);

        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(noToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(wrongToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(remote)).StatusCode);
        // The right token from this machine: the test host's store is in memory, which cannot be backed up.
        var refused = await client.SendAsync(local);
        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.DoesNotContain("memory", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_StoppedServer_CopiesTheStoreDirectly()
    {
        var storage = new StorageOptions { DataDir = Path.Combine(_dir, "stopped") };
        using (var database = StorageExtensions.OpenDatabase(storage))
        {
            database.GetCollection("tickets").Insert(new BsonDocument { ["_id"] = "WT20261202-0001" });
        }

        var file = Path.Combine(_dir, "copy.db");
        var output = new StringWriter();
        var code = await BackupCommands.BackupAsync(storage, file, output, new StringWriter(), client: null, CancellationToken.None);

        Assert.Equal(0, code);
        var (version, _, documents) = StoreBackup.Inspect(file);
        Assert.Equal(StoreSchema.CurrentVersion, version);
        Assert.Equal(1, documents);
        Assert.DoesNotContain("through the running server", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_CopiesThePhotosAndTheSigningKeyBesideTheStore_AndAgainOnlyWhatIsNew()
    {
        var storage = new StorageOptions { DataDir = Path.Combine(_dir, "photos") };
        using (var database = StorageExtensions.OpenDatabase(storage))
        {
            database.GetCollection("tickets").Insert(new BsonDocument { ["_id"] = "WT20261202-0001" });
        }

        var media = Path.Combine(storage.DataDir, CommunityBot.Media.MediaExtensions.FolderName);
        CommunityBot.Media.MediaSigner.FromFolder(media);
        var png = Hash(TestImages.Png);
        File.WriteAllBytes(Path.Combine(media, png), TestImages.Png);
        File.WriteAllBytes(Path.Combine(media, png + ".0123.tmp"), [1, 2]); // a store interrupted mid-write
        var file = Path.Combine(_dir, "copy.db");
        var output = new StringWriter();

        Assert.Equal(0, await BackupCommands.BackupAsync(storage, file, output, new StringWriter(), client: null, CancellationToken.None));

        var copied = file + ".media";
        Assert.Equal([png, CommunityBot.Media.MediaSigner.KeyFileName], System.IO.Directory.EnumerateFiles(copied).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(TestImages.Png, File.ReadAllBytes(Path.Combine(copied, png)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(media, CommunityBot.Media.MediaSigner.KeyFileName)), File.ReadAllBytes(Path.Combine(copied, CommunityBot.Media.MediaSigner.KeyFileName)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(copied, CommunityBot.Media.MediaSigner.KeyFileName)));
        }

        Assert.Contains($"Copied the photos to {copied}: 2 files (2 new or changed)", output.ToString(), StringComparison.Ordinal);

        var jpeg = Hash(TestImages.Jpeg);
        File.WriteAllBytes(Path.Combine(media, jpeg), TestImages.Jpeg);
        output = new StringWriter();
        Assert.Equal(0, await BackupCommands.BackupAsync(storage, file, output, new StringWriter(), client: null, CancellationToken.None));
        Assert.Equal(TestImages.Jpeg, File.ReadAllBytes(Path.Combine(copied, jpeg)));
        Assert.Contains("3 files (2 new or changed)", output.ToString(), StringComparison.Ordinal); // the new photo, and the key
    }

    [Fact]
    public async Task Backup_NoPhotosEverKept_CopiesTheStoreOnly()
    {
        var storage = new StorageOptions { DataDir = Path.Combine(_dir, "nophotos") };
        using (StorageExtensions.OpenDatabase(storage))
        {
        }

        var file = Path.Combine(_dir, "plain.db");
        var output = new StringWriter();
        Assert.Equal(0, await BackupCommands.BackupAsync(storage, file, output, new StringWriter(), client: null, CancellationToken.None));

        Assert.False(System.IO.Directory.Exists(file + ".media"));
        Assert.DoesNotContain("photos", output.ToString(), StringComparison.Ordinal);
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    [Fact]
    public async Task Backup_DataDirectoryInUseWithoutAServer_ClearMessage()
    {
        var storage = new StorageOptions { DataDir = Path.Combine(_dir, "held") };
        using var held = StorageExtensions.OpenDatabase(storage);
        var error = new StringWriter();

        var code = await BackupCommands.BackupAsync(storage, Path.Combine(_dir, "x.db"), new StringWriter(), error, client: null, CancellationToken.None);

        Assert.Equal(CliStorage.DatabaseInUse, code);
        Assert.Contains("no running server can be reached", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "x.db")));
    }

    [Fact]
    public void Restore_ServerRunningOnTheDirectory_RefusedAndNothingChanged()
    {
        var backup = WriteStore(Path.Combine(_dir, "b"), "from-backup");
        var storage = new StorageOptions { DataDir = Path.Combine(_dir, "running") };
        using var running = StorageExtensions.OpenDatabase(storage);
        running.GetCollection("tickets").Insert(new BsonDocument { ["_id"] = "live" });
        var error = new StringWriter();

        var code = BackupCommands.Restore(storage, backup, new StringWriter(), error);

        Assert.Equal(CliStorage.DatabaseInUse, code);
        Assert.Contains("is running on", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("nothing was restored", error.ToString(), StringComparison.Ordinal);
        Assert.NotNull(running.GetCollection("tickets").FindById("live"));
    }

    [Fact]
    public void Restore_StoppedDirectory_ReplacesTheStoreAndKeepsThePreviousOne()
    {
        var backup = WriteStore(Path.Combine(_dir, "b"), "from-backup");
        var storage = new StorageOptions { DataDir = Path.Combine(_dir, "target") };
        WriteStore(storage.DataDir, "before");
        var output = new StringWriter();

        var code = BackupCommands.Restore(storage, backup, output, new StringWriter());

        Assert.Equal(0, code);
        using (var restored = StorageExtensions.OpenDatabase(storage))
        {
            Assert.Equal("from-backup", Assert.Single(restored.GetCollection("tickets").FindAll())["_id"].AsString);
        }

        var kept = Assert.Single(System.IO.Directory.GetFiles(storage.DataDir, "communitybot.before-restore-*.db"));
        Assert.Contains(Path.GetFileName(kept), output.ToString(), StringComparison.Ordinal);
        Assert.Equal(("before", 1L), (StoreOnly(kept), StoreBackup.Inspect(kept).Documents));
        Assert.True(File.Exists(backup)); // the backup itself is left as it was
    }

    [Fact]
    public void Restore_BackupOfANewerBuild_Refused()
    {
        var backup = WriteStore(Path.Combine(_dir, "b"), "from-the-future");
        using (var database = new LiteDatabase(backup))
        {
            database.UserVersion = StoreSchema.CurrentVersion + 1;
        }

        var storage = new StorageOptions { DataDir = Path.Combine(_dir, "target") };
        WriteStore(storage.DataDir, "before");
        var error = new StringWriter();

        var code = BackupCommands.Restore(storage, backup, new StringWriter(), error);

        Assert.Equal(CliStorage.StoreTooNew, code);
        Assert.Contains("newer CommunityBot", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("before", StoreOnly(storage.DatabasePath));
        Assert.Empty(System.IO.Directory.GetFiles(storage.DataDir, "*.restoring"));
    }

    [Fact]
    public void Restore_NotAStore_RefusedWithTheReason()
    {
        System.IO.Directory.CreateDirectory(_dir);
        var junk = Path.Combine(_dir, "junk.db");
        File.WriteAllText(junk, "这不是数据库 not a database at all, just text that is long enough to be read as a header page or not");
        var storage = new StorageOptions { DataDir = Path.Combine(_dir, "target") };
        WriteStore(storage.DataDir, "before");
        var error = new StringWriter();

        var code = BackupCommands.Restore(storage, junk, new StringWriter(), error);

        Assert.Equal(BackupCommands.NotAStore, code);
        Assert.Contains("not a readable CommunityBot store", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("before", StoreOnly(storage.DatabasePath));
    }

    [Fact]
    public async Task Scheduled_KeepsTheNewestBackupsOnly()
    {
        var storage = new StorageOptions { DataDir = Path.Combine(_dir, "scheduled") };
        using var database = StorageExtensions.OpenDatabase(storage);
        database.GetCollection("tickets").Insert(new BsonDocument { ["_id"] = "t" });
        var time = new FakeTimeProvider(LocalNow);
        var backups = new StoreBackupService(database, MsOptions.Create(storage), new CollectingLogger<StoreBackupService>());
        var service = new ScheduledBackupService(backups, MsOptions.Create(new BackupOptions { Interval = TimeSpan.FromHours(1), Keep = 2 }),
            MsOptions.Create(storage), time, new CollectingLogger<ScheduledBackupService>());
        System.IO.Directory.CreateDirectory(service.Folder);
        var unrelated = Path.Combine(service.Folder, "keep-me.db");
        File.WriteAllText(unrelated, "not ours");

        for (var round = 0; round < 3; round++)
        {
            Assert.NotNull(await service.BackupNowAsync(time.GetUtcNow(), CancellationToken.None));
            time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(["communitybot-20261202-040000.db", "communitybot-20261202-030000.db"], service.Scheduled().Select(Path.GetFileName));
        Assert.True(File.Exists(unrelated));
        Assert.Equal(1, StoreBackup.Inspect(service.Scheduled()[0]).Documents);
    }

    [Theory]
    [InlineData("http://localhost:3978", "http://127.0.0.1:3978")]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080")]
    [InlineData("http://[::]:5000", "http://127.0.0.1:5000")]
    [InlineData("http://*:5001", "http://127.0.0.1:5001")]
    [InlineData("http://192.168.1.5:8080", "http://192.168.1.5:8080")]
    [InlineData("https://bot.example.org", null)]
    public void ControlUrl_FromTheServersAddresses_ReachesThisMachine(string address, string? expected)
    {
        Assert.Equal(expected, BackupEndpoints.LocalUrl([address]));
    }

    [Fact]
    public void ControlUrl_HttpAndHttps_PrefersHttp()
    {
        Assert.Equal("http://127.0.0.1:5080", BackupEndpoints.LocalUrl(["https://127.0.0.1:5443", "http://127.0.0.1:5080"]));
    }

    private static Ticket NewTicket(string description) => new()
    {
        Category = "物业管理",
        Description = description,
        Status = TicketStatus.Pending,
        CreatedAt = LocalNow.UtcDateTime,
        Events = [new TicketEvent { At = LocalNow.UtcDateTime, Actor = "resident", Kind = TicketEventKind.Created, Note = description }],
    };

    private static string WriteStore(string dataDir, string ticketId)
    {
        var storage = new StorageOptions { DataDir = dataDir };
        using var database = StorageExtensions.OpenDatabase(storage);
        database.GetCollection("tickets").Insert(new BsonDocument { ["_id"] = ticketId });
        return storage.DatabasePath;
    }

    private static string StoreOnly(string path)
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        return Assert.Single(database.GetCollection("tickets").FindAll())["_id"].AsString;
    }
}
