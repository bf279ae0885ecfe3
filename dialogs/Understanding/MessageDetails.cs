namespace CommunityBot.Dialogs.Understanding;

/// <summary>The details found in one message; every part is optional.</summary>
public sealed record MessageDetails
{
    public static MessageDetails Empty { get; } = new();

    /// <summary>Mobile (11 digits) and landline numbers, normalised to digits and '-'.</summary>
    public IReadOnlyList<string> Phones { get; init; } = [];

    public LocationDetail? Location { get; init; }

    /// <summary>A point or range in time the resident mentioned ("昨晚十点", "每天晚上"), resolved.</summary>
    public TimeDetail? When { get; init; }

    /// <summary>How long it has been going on ("三天了"), if said.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Counts the resident mentioned ("两户", "3次").</summary>
    public IReadOnlyList<CountDetail> Counts { get; init; } = [];
}

/// <summary>
/// Where: a compound from the directory (by id and name), building/unit/room as residents write them
/// ("3号楼", "2单元", "501"), or a landmark ("东门岗亭"). <see cref="Text"/> is the span as written.
/// </summary>
public sealed record LocationDetail
{
    public string? CompoundId { get; init; }
    public string? CompoundName { get; init; }
    /// <summary>Building number as a canonical string ("3" for 3号楼/三号楼/3栋/3幢).</summary>
    public string? Building { get; init; }
    public string? Unit { get; init; }
    public string? Room { get; init; }
    public string? Landmark { get; init; }
    public string Text { get; init; } = "";

    /// <summary>"幸福里小区3号楼2单元" — building and unit only (a room number is personal data and is left out).</summary>
    public string PublicDescription =>
        string.Concat(CompoundName, Building is null ? "" : Building + "号楼", Unit is null ? "" : Unit + "单元", Landmark);
}

/// <summary>A resolved time: a point (<see cref="Start"/>), a range, or a recurrence ("每天晚上").</summary>
public sealed record TimeDetail(string Text, DateTimeOffset? Start, DateTimeOffset? End, bool Recurring);

/// <summary>A number of something: "两户" → (2, "户").</summary>
public sealed record CountDetail(int Value, string Unit, string Text);
