using CommunityBot.Storage;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using LiteDB;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Storage;

/// <summary>Start-up says when it builds an index over existing documents (an upgraded store), and only then.</summary>
public sealed class LiteDbIndexesTests : IDisposable
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;

    public LiteDbIndexesTests() => _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);

    public void Dispose()
    {
        _writer.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void TicketStore_TicketsWithoutTheirIndexes_LogsEachBuildOnceWithTheCount()
    {
        InsertTicketsTheOldWay(3);

        var first = new CollectingLogger<TicketStore>();
        _ = new TicketStore(_database, _writer, first);

        var building = first.Entries.Where(e => e.Message.StartsWith("Building tickets index ", StringComparison.Ordinal)).ToList();
        var built = first.Entries.Where(e => e.Message.StartsWith("Built tickets index ", StringComparison.Ordinal)).ToList();
        Assert.Equal(11, building.Count);
        Assert.Equal(11, built.Count);
        Assert.All(first.Entries, e => Assert.Equal(LogLevel.Information, e.Level));
        Assert.Contains(building, e => e.Message == "Building tickets index Status over 3 documents; this runs once after an upgrade");
        Assert.Equal(building.Select(e => e.Values["Index"]), built.Select(e => e.Values["Index"]));
        Assert.All(building, e => Assert.Equal(3, e.Values["Count"]));

        var second = new CollectingLogger<TicketStore>();
        _ = new TicketStore(_database, _writer, second);

        Assert.Empty(second.Entries);
    }

    [Fact]
    public void TicketStore_FreshDatabase_BuildsItsIndexesSilently()
    {
        var logger = new CollectingLogger<TicketStore>();

        _ = new TicketStore(_database, _writer, logger);

        Assert.Empty(logger.Entries);
        Assert.Contains(IndexNames("tickets"), name => name == "Queue");
    }

    [Fact]
    public void TicketStore_IndexesMadeByThePreviousVersionsLambdas_AreRecognisedNotBuiltAgain()
    {
        InsertTicketsTheOldWay(2);
        var tickets = _database.GetCollection<Ticket>("tickets");
        tickets.EnsureIndex(t => t.Status);
        tickets.EnsureIndex(t => t.CreatedAt);
        var logger = new CollectingLogger<TicketStore>();

        _ = new TicketStore(_database, _writer, logger);

        var rebuilt = logger.Entries.Where(e => e.Message.StartsWith("Building", StringComparison.Ordinal)).Select(e => (string)e.Values["Index"]!).ToList();
        Assert.Equal(9, rebuilt.Count);
        Assert.DoesNotContain("Status", rebuilt);
        Assert.DoesNotContain("CreatedAt", rebuilt);
        // One index per expression: nothing was built twice under another name.
        var expressions = _database.GetCollection("$indexes").Find(Query.EQ("collection", "tickets")).Select(i => i["expression"].AsString).ToList();
        Assert.Equal(expressions.Count, expressions.Distinct().Count());
    }

    [Fact]
    public void Ensure_OneMissingIndexBesideExistingOnes_LogsOnlyThatOne()
    {
        var items = LiteDbCollections.Open(_database, "items");
        items.Insert(new BsonDocument { ["_id"] = 1, ["At"] = new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc), ["Kind"] = "a" });
        items.EnsureIndex("At", "$.At");
        var logger = new CollectingLogger<LiteDbIndexesTests>();

        LiteDbIndexes.Ensure(_database, items, logger, ("At", "$.At"), ("Kind", "$.Kind"));

        Assert.Equal(
            ["Building items index Kind over 1 documents; this runs once after an upgrade"],
            logger.Entries.Where(e => e.Message.StartsWith("Building", StringComparison.Ordinal)).Select(e => e.Message));
        Assert.Single(logger.Entries, e => e.Message.StartsWith("Built items index Kind over 1 documents in ", StringComparison.Ordinal));
        Assert.Contains("Kind", IndexNames("items"));
    }

    /// <summary>Tickets as a store from before these indexes holds them: documents, and only the _id index.</summary>
    private void InsertTicketsTheOldWay(int count)
    {
        var tickets = _database.GetCollection<Ticket>("tickets");
        for (var i = 1; i <= count; i++)
        {
            tickets.Insert(new Ticket
            {
                Number = $"WT20261123-{i:0000}", Category = "环境保护", AssigneeId = "w-wangfang", Status = TicketStatus.Pending,
                CreatedAt = new DateTime(2026, 11, 23, 2, i, 0, DateTimeKind.Utc), ReporterKeys = ["test|alice"],
            });
        }

        Assert.Equal(["_id"], IndexNames("tickets"));
    }

    private List<string> IndexNames(string collection) =>
        _database.GetCollection("$indexes").Find(Query.EQ("collection", collection)).Select(i => i["name"].AsString).ToList();
}
