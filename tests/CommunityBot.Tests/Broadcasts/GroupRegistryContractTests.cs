using CommunityBot.Broadcasts;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Tests.Harness;

namespace CommunityBot.Tests.Broadcasts;

/// <summary>
/// What every group registry promises (<see cref="LiteDbGroupRegistryTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresGroupRegistryTests"/> on PostgreSQL), each write in a commit of its own: a group
/// recorded with a reference that carries no resident's identity and the channel's name, refreshed without losing its first
/// sighting or the staff's name and community; the console's assignment; the order of the list; at most
/// <see cref="MaxGroups"/> groups, room made by dropping the least recently seen unassigned one, and none when every group
/// is assigned; unassigned groups and residents' last groups dropped after the retention; a resident's last group.
/// Each concrete class starts every test on an empty registry bounded to <see cref="MaxGroups"/>.
/// </summary>
public abstract class GroupRegistryContractTests : IAsyncLifetime
{
    protected const int MaxGroups = 10;
    protected static readonly DateTimeOffset T0 = new(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);

    protected abstract Task<bool> RecordAsync(ConversationReference conversation, DateTimeOffset now);

    protected abstract Task RecordResidentAsync(InboundMessage message, DateTimeOffset now);

    protected abstract Task<bool> AssignAsync(string key, string? name, string? communityId, string? compoundId);

    protected abstract Task<bool> TieAsync(ConversationReference conversation, string name, string communityId, string? compoundId, DateTimeOffset now);

    protected abstract Task<ChatGroup?> FindAsync(string key);

    protected abstract Task<IReadOnlyList<ChatGroup>> AllAsync();

    protected abstract Task<ChatGroup?> LastGroupOfAsync(string channel, string userId);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Record_NewGroup_KeepsAReferenceWithoutTheResidentAndTheChannelsName()
    {
        var conversation = Group("xingfuli-owners") with
        {
            UserId = "resident-zhang-13812345678",
            UserName = "张三",
            ReplyToId = "msg-7",
            Properties = new Dictionary<string, string> { [GroupRegistry.NameProperty] = " 幸福里业主群 " },
        };

        Assert.True(await RecordAsync(conversation, T0));

        var group = await FindAsync("test/xingfuli-owners");
        Assert.NotNull(group);
        Assert.Equal(("test", "xingfuli-owners", "幸福里业主群"), (group.Channel, group.ConversationId, group.Name));
        Assert.Equal((T0.UtcDateTime, T0.UtcDateTime), (group.FirstSeen.ToUniversalTime(), group.LastSeen.ToUniversalTime()));
        Assert.DoesNotContain("resident-zhang", group.Reference, StringComparison.Ordinal);
        var reference = GroupRegistry.ReferenceOf(group);
        Assert.Equal(("test", "xingfuli-owners", true, "", ""), (reference.Channel, reference.ConversationId, reference.IsGroup, reference.UserId, reference.UserName));
        Assert.Null(reference.ReplyToId);
        Assert.Null(await FindAsync("test/other"));
    }

    [ContractFact]
    public async Task Record_AgainLater_MovesLastSeenAndKeepsFirstSeenAndTheConsolesFields()
    {
        await RecordAsync(Group("g1"), T0);
        Assert.True(await AssignAsync("test/g1", "幸福里业主群", "FH-01", "xingfuli"));
        var renamed = Group("g1") with { Properties = new Dictionary<string, string> { [GroupRegistry.NameProperty] = "渠道里的新名字" } };

        Assert.True(await RecordAsync(renamed, T0.AddHours(2)));

        var group = await FindAsync("test/g1");
        Assert.NotNull(group);
        Assert.Equal(("幸福里业主群", "FH-01", "xingfuli"), (group.Name, group.CommunityId, group.CompoundId));
        Assert.Equal((T0.UtcDateTime, T0.AddHours(2).UtcDateTime), (group.FirstSeen.ToUniversalTime(), group.LastSeen.ToUniversalTime()));
    }

    [ContractFact]
    public async Task Assign_UnknownGroup_IsRefused()
    {
        Assert.False(await AssignAsync("test/none", "名字", "FH-01", null));
        Assert.Empty(await AllAsync());
    }

    [ContractFact]
    public async Task All_ListsAssignedGroupsByCommunityAndLabel_ThenTheOthers()
    {
        foreach (var id in new[] { "z", "b", "a", "c" })
        {
            await RecordAsync(Group(id), T0);
        }

        await AssignAsync("test/z", "A 群", "FH-02", null);
        await AssignAsync("test/b", "B 群", "FH-01", null);
        await AssignAsync("test/c", "C 群", "FH-01", null);

        Assert.Equal(["b", "c", "z", "a"], (await AllAsync()).Select(g => g.ConversationId));
    }

    [ContractFact]
    public async Task Record_AtTheLimit_DropsTheLeastRecentlySeenUnassignedGroup()
    {
        for (var i = 0; i < MaxGroups; i++)
        {
            Assert.True(await RecordAsync(Group("g" + i), T0.AddMinutes(i)));
        }

        await AssignAsync("test/g0", null, "FH-01", null); // the oldest, but tied to a community

        Assert.True(await RecordAsync(Group("new"), T0.AddMinutes(MaxGroups)));

        var ids = (await AllAsync()).Select(g => g.ConversationId).ToList();
        Assert.Equal(MaxGroups, ids.Count);
        Assert.Contains("g0", ids);
        Assert.DoesNotContain("g1", ids);
        Assert.Contains("new", ids);
    }

    [ContractFact]
    public async Task Record_AtTheLimitWithEveryGroupAssigned_DoesNotRecordTheNewGroup()
    {
        for (var i = 0; i < MaxGroups; i++)
        {
            await TieAsync(Group("g" + i), "群" + i, "FH-01", null, T0);
        }

        Assert.False(await RecordAsync(Group("new"), T0.AddMinutes(1)));

        Assert.Equal(MaxGroups, (await AllAsync()).Count);
        Assert.Null(await FindAsync("test/new"));
    }

    [ContractFact]
    public async Task Record_NewGroupAfterTheRetention_DropsQuietUnassignedGroupsAndResidentsLastGroups()
    {
        await RecordAsync(Group("quiet"), T0);
        await TieAsync(Group("tied"), "幸福里业主群", "FH-01", "xingfuli", T0);
        await RecordResidentAsync(Said("zhang", "tied"), T0);

        await RecordAsync(Group("new"), T0.AddDays(181));

        Assert.Equal(["new", "tied"], (await AllAsync()).Select(g => g.ConversationId).Order(StringComparer.Ordinal));
        Assert.Null(await LastGroupOfAsync("test", "zhang")); // where they were is not kept longer than an unassigned group
    }

    [ContractFact]
    public async Task Tie_RecordsAndAssignsTheGroup()
    {
        Assert.True(await TieAsync(Group("demo"), "幸福里业主群", "FH-01", "xingfuli", T0));

        var group = await FindAsync("test/demo");
        Assert.NotNull(group);
        Assert.Equal(("幸福里业主群", "FH-01", "xingfuli", "幸福里业主群"), (group.Name, group.CommunityId, group.CompoundId, group.Label));
    }

    [ContractFact]
    public async Task RecordResident_LastGroupFollowsTheResident()
    {
        await RecordAsync(Group("g1"), T0);
        await RecordAsync(Group("g2"), T0);

        await RecordResidentAsync(Said("zhang", "g1"), T0);
        Assert.Equal("g1", (await LastGroupOfAsync("test", "zhang"))?.ConversationId);

        await RecordResidentAsync(Said("zhang", "g2"), T0.AddMinutes(5));
        Assert.Equal("g2", (await LastGroupOfAsync("test", "zhang"))?.ConversationId);
        Assert.Null(await LastGroupOfAsync("test", "li"));
        Assert.Null(await LastGroupOfAsync("other", "zhang"));
    }

    protected static ConversationReference Group(string id) => new() { Channel = "test", ConversationId = id, IsGroup = true };

    protected static InboundMessage Said(string userId, string groupId) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Conversation = Group(groupId) with { UserId = userId },
        Authenticated = true,
    };
}
