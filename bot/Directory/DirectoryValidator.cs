namespace CommunityBot.Directory;

/// <summary>Checks a whole directory before anything is stored: unique ids and references that resolve.</summary>
public static class DirectoryValidator
{
    /// <summary>Names a place in the source, e.g. "sheet grids, row 5, column worker".</summary>
    public delegate string Locator(string sheet, int index, string column);

    /// <summary>Where a plain object graph (the demo JSON) is wrong: "grids[4].worker".</summary>
    public static string DefaultLocator(string sheet, int index, string column) => $"{sheet}[{index}].{column}";

    /// <summary>Throws <see cref="DirectoryFormatException"/> at the first problem found.</summary>
    public static void Validate(DirectoryData data, Locator? locate = null)
    {
        locate ??= DefaultLocator;
        void Fail(string sheet, int index, string column, string problem) =>
            throw new DirectoryFormatException($"{Capitalise(locate(sheet, index, column))}: {problem}");

        if (string.IsNullOrWhiteSpace(data.StreetOffice.Name))
        {
            Fail("communities", 0, "street_office", "empty; name the street office (街道办事处).");
        }

        var communities = UniqueIds(data.Communities, c => c.Id, "communities", Fail);
        var workers = UniqueIds(data.Workers, w => w.Id, "workers", Fail);
        var grids = UniqueIds(data.Grids, g => g.Id, "grids", Fail);
        UniqueIds(data.Compounds, c => c.Id, "compounds", Fail);
        UniqueIds(data.Departments, d => d.Id, "departments", Fail);

        for (var i = 0; i < data.Workers.Count; i++)
        {
            var worker = data.Workers[i];
            if (worker.Role != WorkerRole.Street && worker.Community is null)
            {
                Fail("workers", i, "community", $"empty; a {Role(worker.Role)} belongs to a community.");
            }
            if (worker.Community is { } community && !communities.Contains(community))
            {
                Fail("workers", i, "community", $"no community \"{community}\" on sheet communities.");
            }
            if (worker.DeputyWorkerId is { } deputy && (!workers.Contains(deputy) || deputy == worker.Id))
            {
                Fail("workers", i, "deputy", deputy == worker.Id ? "a worker cannot be their own deputy." : $"no worker \"{deputy}\" on sheet workers.");
            }
        }

        for (var i = 0; i < data.Grids.Count; i++)
        {
            var grid = data.Grids[i];
            if (!communities.Contains(grid.Community))
            {
                Fail("grids", i, "community", $"no community \"{grid.Community}\" on sheet communities.");
            }
            if (grid.WorkerId is { } worker && !workers.Contains(worker))
            {
                Fail("grids", i, "worker", $"no worker \"{worker}\" on sheet workers.");
            }
            if (grid.DeputyWorkerId is { } deputy && !workers.Contains(deputy))
            {
                Fail("grids", i, "deputy", $"no worker \"{deputy}\" on sheet workers.");
            }
        }

        for (var i = 0; i < data.Compounds.Count; i++)
        {
            var compound = data.Compounds[i];
            if (!communities.Contains(compound.Community))
            {
                Fail("compounds", i, "community", $"no community \"{compound.Community}\" on sheet communities.");
            }
            if (compound.GridId is { } grid && !grids.Contains(grid))
            {
                Fail("compounds", i, "grids", $"no grid \"{grid}\" on sheet grids.");
            }
            var assigned = new HashSet<string>(StringComparer.Ordinal);
            foreach (var split in compound.BuildingGrids)
            {
                if (!grids.Contains(split.GridId))
                {
                    Fail("compounds", i, "grids", $"no grid \"{split.GridId}\" on sheet grids.");
                }
                foreach (var building in split.Buildings)
                {
                    if (compound.Buildings.Count > 0 && !compound.Buildings.Contains(building))
                    {
                        Fail("compounds", i, "grids", $"{building} is not in the compound's buildings.");
                    }
                    if (!assigned.Add(building))
                    {
                        Fail("compounds", i, "grids", $"{building} is given to more than one grid.");
                    }
                }
            }
        }

        for (var i = 0; i < data.Roster.Count; i++)
        {
            var shift = data.Roster[i];
            if (!grids.Contains(shift.GridId))
            {
                Fail("roster", i, "grid", $"no grid \"{shift.GridId}\" on sheet grids.");
            }
            if (!workers.Contains(shift.WorkerId))
            {
                Fail("roster", i, "worker", $"no worker \"{shift.WorkerId}\" on sheet workers.");
            }
            if (shift.Days.Count == 0)
            {
                Fail("roster", i, "days", "empty; give ISO weekdays such as 1-5 or 6,7.");
            }
        }

        for (var i = 0; i < data.Leave.Count; i++)
        {
            var leave = data.Leave[i];
            if (!workers.Contains(leave.WorkerId))
            {
                Fail("leave", i, "worker", $"no worker \"{leave.WorkerId}\" on sheet workers.");
            }
            if (leave.End <= leave.Start)
            {
                Fail("leave", i, "end", "must be after start.");
            }
        }

        for (var i = 0; i < data.Departments.Count; i++)
        {
            if (data.Departments[i].Categories.Count == 0)
            {
                Fail("departments", i, "categories", "empty; name the categories the department co-handles.");
            }
        }
    }

    private static HashSet<string> UniqueIds<T>(List<T> items, Func<T, string> id, string sheet, Action<string, int, string, string> fail)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var value = id(items[i]);
            if (string.IsNullOrWhiteSpace(value))
            {
                fail(sheet, i, "id", "empty; every row needs one.");
            }
            if (!seen.TryAdd(value, i))
            {
                fail(sheet, i, "id", $"\"{value}\" is used twice on this sheet.");
            }
        }
        return [.. seen.Keys];
    }

    private static string Role(WorkerRole role) => role switch
    {
        WorkerRole.Grid => "grid worker",
        WorkerRole.Community => "community staff member",
        _ => "street staff member",
    };

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
