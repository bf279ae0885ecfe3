using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Directory;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Tickets;

namespace CommunityBot.Tests.Harness;

/// <summary>
/// A small directory for conversation tests: two compounds, a grid worker (王芳, "wang"), her deputy, and a
/// community staff member, a street-office staff member; workers chat with the bot on the test channel under their ids.
/// </summary>
public sealed partial class FakeDirectory : IDirectory, ITicketAssignment, IDetailExtractor, IPrivateChats
{
    public const string GridWorker = "worker-wang";
    public const string CommunityStaff = "staff-zhao";
    public const string OtherGridWorker = "worker-li";
    public const string StreetStaff = "staff-sun";

    private static readonly CompoundInfo[] CompoundList =
    [
        new("xfl", "幸福里小区", "丰和里社区", ["1", "2", "3", "4", "5"], ["幸福里"], "FH-01"),
        new("la", "柳岸花园", "柳岸社区", ["1", "2", "3"], ["柳岸"], "LA-01"),
    ];

    public IReadOnlyList<CompoundInfo> Compounds() => CompoundList;

    public Assignment Assign(string? compoundId, string? building, string category, DateTimeOffset at) =>
        compoundId is null
            ? new Assignment(null, CommunityStaff, "赵主任", TicketLevel.Community, [], "未说明小区，交社区")
            : new Assignment("FH-01", GridWorker, "王芳", TicketLevel.Grid, category == "治安民警" ? ["police"] : [], "幸福里属于一网格");

    public Assignment Supervisor(string? gridId, DateTimeOffset at) =>
        new(gridId, CommunityStaff, "赵主任", TicketLevel.Community, [], "转丰和里社区赵主任");

    public Assignment StreetOffice(DateTimeOffset at) =>
        new(null, StreetStaff, "孙科长", TicketLevel.Street, [], "转丰和街道孙科长");

    public WorkerIdentity? FindWorkerNamed(string text) =>
        Workers.FirstOrDefault(w => text.Contains(w.Name, StringComparison.Ordinal));

    public WorkerIdentity? FindWorker(string channel, string userId) => Workers.FirstOrDefault(w => w.Id == userId);

    private static readonly WorkerIdentity[] Workers =
    [
        new(GridWorker, "王芳", TicketLevel.Grid),
        new(OtherGridWorker, "李强", TicketLevel.Grid),
        new(CommunityStaff, "赵主任", TicketLevel.Community),
        new(StreetStaff, "孙科长", TicketLevel.Street),
    ];

    public ConversationReference? PrivateAddressOf(string workerId, ConversationReference origin) =>
        new() { Channel = origin.Channel, ConversationId = "private-" + workerId, UserId = workerId, UserName = workerId };

    /// <summary>Every test-channel user has a private chat "private-{user}".</summary>
    public ConversationReference? With(ConversationReference member) =>
        member with { ConversationId = "private-" + member.UserId, IsGroup = false, ReplyToId = null };

    /// <summary>What each extraction asked for, in order: FAQ turns must never ask for times or phones (the recognizers).</summary>
    public ConcurrentQueue<DetailKinds> DetailRequests { get; } = new();

    public MessageDetails Extract(string text, DateTimeOffset at) => Extract(text, at, DetailKinds.All);

    /// <summary>Just enough extraction for dialog tests (the real extractor has its own tests).</summary>
    public MessageDetails Extract(string text, DateTimeOffset at, DetailKinds kinds)
    {
        DetailRequests.Enqueue(kinds);
        var building = BuildingPattern().Match(text);
        var compound = CompoundList.FirstOrDefault(c => text.Contains(c.Name, StringComparison.Ordinal) || c.Aliases.Any(a => text.Contains(a, StringComparison.Ordinal)));
        var phone = PhonePattern().Match(text);
        var unitRoom = UnitRoomPattern().Match(text);
        var location = building.Success || compound is not null || unitRoom.Success
            ? new LocationDetail
            {
                Building = building.Success ? building.Groups[1].Value : null,
                CompoundId = compound?.Id,
                CompoundName = compound?.Name,
                Unit = unitRoom.Success ? unitRoom.Groups[1].Value : null,
                Room = unitRoom.Success && unitRoom.Groups[2].Success ? unitRoom.Groups[2].Value : null,
                Text = text,
            }
            : null;
        return new MessageDetails { Location = location, Phones = phone.Success ? [phone.Value] : [] };
    }

    [GeneratedRegex(@"(\d+)号楼")]
    private static partial Regex BuildingPattern();

    [GeneratedRegex(@"(\d+)单元(\d{3,4})?")]
    private static partial Regex UnitRoomPattern();

    [GeneratedRegex(@"1[3-9]\d{9}")]
    private static partial Regex PhonePattern();
}
