using CommunityBot.Broadcasts;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Faq;
using CommunityBot.Storage;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Storage;

/// <summary>
/// The in-memory copies of the small collections every turn reads (take-overs, groups, FAQ entries): a committed write is
/// read at once, a rolled-back one never, a read inside a write sees that write, and what a reader gets is its own copy.
/// </summary>
public sealed class CommittedSnapshotTests : IDisposable
{
    private readonly BotHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public void Get_LoadsOnce_UntilInvalidated()
    {
        var loads = 0;
        var snapshot = new CommittedSnapshot<object>(() =>
        {
            loads++;
            return new object();
        });

        var first = snapshot.Get();
        Assert.Same(first, snapshot.Get());
        Assert.Equal(1, loads);

        snapshot.Invalidate();

        Assert.NotSame(first, snapshot.Get());
        Assert.Equal(2, loads);
    }

    [Fact]
    public void Get_LoadOverlappingACommit_IsNotKept()
    {
        var loads = 0;
        CommittedSnapshot<string>? snapshot = null;
        snapshot = new CommittedSnapshot<string>(() =>
        {
            loads++;
            if (loads == 1)
            {
                // A write commits while the first load is reading: what it read may predate the write.
                snapshot!.Invalidate();
            }

            return "load " + loads;
        });

        Assert.Equal("load 1", snapshot.Get());
        Assert.Equal("load 2", snapshot.Get());
        Assert.Equal("load 2", snapshot.Get());
        Assert.Equal(2, loads);
    }

    [Fact]
    public void ById_IgnoresCaseAsLiteDbIds_AndKeepsTheFirstOfTwoThatFoldTogether()
    {
        var byId = CommittedSnapshot.ById(["FAQ-1", "faq-1", "faq-2"], id => id);

        Assert.Equal("FAQ-1", byId["faq-1"]);
        Assert.Equal(2, byId.Count);
    }

    [Fact]
    public async Task Handoffs_PutAndRemove_AreReadOnceCommitted()
    {
        Assert.Null(_bot.Handoffs.ForResident("test/group-1/alice"));

        await _bot.Writer.WriteAsync(_ => _bot.Handoffs.Put(Handoff("alice", "WT20261203-0001")));

        Assert.Equal("WT20261203-0001", _bot.Handoffs.ForResident("test/group-1/alice")?.TicketNumber);
        Assert.Single(_bot.Handoffs.ForTicket("WT20261203-0001"));
        Assert.Equal("w-majun", _bot.Handoffs.ForWorker("test/private-w/w-majun")?.WorkerId);

        await _bot.Writer.WriteAsync(_ => _bot.Handoffs.Remove("test/group-1/alice"));

        Assert.Null(_bot.Handoffs.ForResident("test/group-1/alice"));
        Assert.Empty(_bot.Handoffs.All());
    }

    [Fact]
    public async Task Handoffs_RolledBackWrite_IsNeverRead()
    {
        await _bot.Writer.WriteAsync(_ => _bot.Handoffs.Put(Handoff("alice", "WT20261203-0001")));
        Assert.NotNull(_bot.Handoffs.ForResident("test/group-1/alice"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => _bot.Writer.WriteAsync(_ =>
        {
            _bot.Handoffs.Remove("test/group-1/alice");
            _bot.Handoffs.Put(Handoff("bob", "WT20261203-0002"));
            throw new InvalidOperationException("the turn failed");
        }));

        Assert.Equal("WT20261203-0001", _bot.Handoffs.ForResident("test/group-1/alice")?.TicketNumber);
        Assert.Null(_bot.Handoffs.ForResident("test/group-1/bob"));
    }

    [Fact]
    public async Task Handoffs_ReadInsideAWrite_SeesThatWrite()
    {
        Assert.Null(_bot.Handoffs.ForResident("test/group-1/alice"));

        var seen = await _bot.Writer.WriteAsync(_ =>
        {
            _bot.Handoffs.Put(Handoff("alice", "WT20261203-0001"));
            return (_bot.Handoffs.ForResident("test/group-1/alice")?.TicketNumber, _bot.Handoffs.ForTicket("WT20261203-0001").Count);
        });

        Assert.Equal(("WT20261203-0001", 1), seen);
    }

    [Fact]
    public async Task Handoffs_ChangingWhatWasRead_ChangesNothingUntilPut()
    {
        await _bot.Writer.WriteAsync(_ => _bot.Handoffs.Put(Handoff("alice", "WT20261203-0001")));

        var read = _bot.Handoffs.ForResident("test/group-1/alice")!;
        read.Escalated = true;
        _bot.Handoffs.All()[0].WorkerName = "改过";

        var again = _bot.Handoffs.ForResident("test/group-1/alice")!;
        Assert.False(again.Escalated);
        Assert.Equal("马军", again.WorkerName);

        await _bot.Writer.WriteAsync(_ => _bot.Handoffs.Put(read));

        Assert.True(_bot.Handoffs.ForResident("test/group-1/alice")!.Escalated);
    }

    [Fact]
    public async Task Groups_TieAndRetie_AreReadOnceCommitted_AsCopies()
    {
        var key = GroupRegistry.KeyOf(TestChannel.Name, "group-9");
        Assert.Null(_bot.Groups.Find(key));

        await _bot.TieGroupAsync("group-9", "xingfuli");
        Assert.Equal("xingfuli", _bot.Groups.Find(key)?.CompoundId);

        _bot.Groups.Find(key)!.CompoundId = "hepingli";
        Assert.Equal("xingfuli", _bot.Groups.Find(key)?.CompoundId);

        await _bot.Writer.WriteAsync(_ => _bot.Groups.Assign(key, "和平里群", "FH-01", "hepingli"));

        Assert.Equal(("hepingli", "和平里群"), (_bot.Groups.Find(key)?.CompoundId, _bot.Groups.Find(key)?.Name));
    }

    [Fact]
    public void Faq_UpsertAndReplaceAll_AreReadAtOnce_AsCopies()
    {
        var entry = new FaqEntry { Id = "t-1", Question = "物业电话多少", Answer = "旧号码", Variants = [new FaqVariant { Kind = FaqScopeKind.Compound, ScopeId = "xingfuli", Answer = "幸福里号码" }] };
        _bot.Faq.Upsert(entry);
        Assert.Equal("旧号码", _bot.Faq.Find("t-1")?.Answer);

        var read = _bot.Faq.Find("t-1")!;
        read.Answer = "改过";
        read.Variants[0].Answer = "改过";
        read.Similar.Add("改过");
        var again = _bot.Faq.Find("t-1")!;
        Assert.Equal(("旧号码", "幸福里号码", 0), (again.Answer, again.AnswerFor("xingfuli", null), again.Similar.Count));

        entry.Answer = "新号码";
        _bot.Faq.Upsert(entry);
        Assert.Equal("新号码", _bot.Faq.Find("t-1")?.Answer);

        _bot.Faq.ReplaceAll([new FaqEntry { Id = "t-2", Question = "几点开门", Answer = "八点" }]);
        Assert.Null(_bot.Faq.Find("t-1"));
        Assert.Equal("八点", _bot.Faq.Find("T-2")?.Answer);
    }

    private static CommunityBot.Tickets.Handoff Handoff(string resident, string ticket) => new()
    {
        ResidentKey = "test/group-1/" + resident,
        WorkerKey = "test/private-w/w-majun",
        TicketNumber = ticket,
        WorkerId = "w-majun",
        WorkerName = "马军",
        ResidentName = resident,
        StartedAt = new DateTime(2026, 12, 3, 8, 0, 0, DateTimeKind.Utc),
        LastActivityAt = new DateTime(2026, 12, 3, 8, 0, 0, DateTimeKind.Utc),
    };
}
