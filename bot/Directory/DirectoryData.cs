namespace CommunityBot.Directory;

/// <summary>The whole grid directory as plain data: what is imported, exported, stored and seeded.</summary>
public sealed record DirectoryData
{
    public StreetOffice StreetOffice { get; init; } = new() { Name = "" };

    public List<Community> Communities { get; init; } = [];

    public List<Grid> Grids { get; init; } = [];

    public List<Compound> Compounds { get; init; } = [];

    public List<Worker> Workers { get; init; } = [];

    public List<DutyShift> Roster { get; init; } = [];

    public List<LeavePeriod> Leave { get; init; } = [];

    public List<Department> Departments { get; init; } = [];

    public bool IsEmpty => Communities.Count == 0 && Grids.Count == 0 && Compounds.Count == 0 && Workers.Count == 0;
}
