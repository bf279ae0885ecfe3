using Microsoft.Extensions.Options;

namespace CommunityBot.Directory;

/// <summary>
/// Decides where a ticket goes: compound and building → third-level grid → the worker on duty (roster, then the
/// grid worker, then the deputy when that worker is on leave) → the community's staff when nobody in the grid is
/// available → street staff; the category adds co-handling departments. Pure: it reads only the cached directory.
/// </summary>
public sealed class TicketRouter
{
    private readonly GridDirectory _directory;
    private readonly TimeZoneInfo _zone;

    public TicketRouter(GridDirectory directory, IOptions<DirectoryOptions> options)
    {
        _directory = directory;
        _zone = options.Value.ResolveTimeZone();
    }

    /// <param name="compoundId">The compound's id, name or alias; null when the resident did not say.</param>
    /// <param name="building">The building as the resident wrote it ("3栋", "3号楼"); null when unknown.</param>
    /// <param name="category">The ticket's category, e.g. "治安民警" or "水电气暖-电".</param>
    /// <param name="at">When the ticket is routed; the roster is read in the office's local time.</param>
    public RoutingDecision Route(string? compoundId, string? building, string category, DateTimeOffset at)
    {
        var directory = _directory.Current;
        var coHandlers = directory.Data.Departments.Where(d => d.Handles(category)).ToList();
        var decision = RouteToWorker(directory, compoundId, building, at);
        if (coHandlers.Count == 0)
        {
            return decision;
        }
        var departments = string.Join("、", coHandlers.Select(d => $"{d.Name}（{MatchedCategory(d, category)}）"));
        return decision with { CoHandlers = coHandlers, Reason = $"{decision.Reason}；联动{departments}" };
    }

    private RoutingDecision RouteToWorker(DirectorySnapshot directory, string? compoundId, string? building, DateTimeOffset at)
    {
        var canonicalBuilding = string.IsNullOrWhiteSpace(building) ? null : BuildingName.Normalize(building);
        var compound = string.IsNullOrWhiteSpace(compoundId) ? null : directory.FindCompound(compoundId);
        if (compound is null)
        {
            var what = string.IsNullOrWhiteSpace(compoundId) ? "未说明所在小区" : $"目录中没有小区“{compoundId.Trim()}”";
            return ToStreet(directory, at, what, null, canonicalBuilding);
        }

        var community = directory.Communities.GetValueOrDefault(compound.Community);
        var place = compound.Name + canonicalBuilding;
        var split = canonicalBuilding is null ? null : compound.BuildingGrids.FirstOrDefault(a => a.Buildings.Contains(canonicalBuilding));
        var gridId = split?.GridId ?? compound.GridId;
        if (gridId is null || !directory.Grids.TryGetValue(gridId, out var grid))
        {
            return ToCommunity(directory, at, $"{place}未划入网格", compound, canonicalBuilding, null, community);
        }

        var whose = split is not null || compound.BuildingGrids.Count == 0 || canonicalBuilding is null ? $"{place}属于{grid.Name}" : $"{place}按小区默认属于{grid.Name}";
        var local = TimeZoneInfo.ConvertTime(at, _zone).DateTime;
        var roster = directory.RosterOf(grid.Id);
        Worker? away = null;
        if (roster.Count > 0)
        {
            var onShift = roster.Where(s => s.Covers(local)).Select(s => directory.Workers[s.WorkerId]).ToList();
            if (onShift.Count == 0)
            {
                return ToCommunity(directory, at, $"{whose}，当前不在网格值班时间", compound, canonicalBuilding, grid, community);
            }
            if (onShift.FirstOrDefault(w => !directory.IsAway(w.Id, at)) is { } onDuty)
            {
                return Decision(RoutingLevel.Grid, $"{whose}，当班网格员{onDuty.Name}", compound, canonicalBuilding, grid, community, onDuty);
            }
            away = onShift[0];
        }
        else if (grid.WorkerId is { } workerId)
        {
            var worker = directory.Workers[workerId];
            if (!directory.IsAway(worker.Id, at))
            {
                return Decision(RoutingLevel.Grid, $"{whose}，网格员{worker.Name}", compound, canonicalBuilding, grid, community, worker);
            }
            away = worker;
        }

        var deputyId = grid.DeputyWorkerId ?? away?.DeputyWorkerId;
        if (deputyId is not null && deputyId != away?.Id && directory.Workers.TryGetValue(deputyId, out var deputy) && !directory.IsAway(deputy.Id, at))
        {
            var absence = away is null ? "未设网格员" : $"网格员{away.Name}休假";
            return Decision(RoutingLevel.Grid, $"{whose}，{absence}，由{deputy.Name}代班", compound, canonicalBuilding, grid, community, deputy);
        }
        var nobody = away is null ? "未设网格员" : $"网格员{away.Name}休假且无人代班";
        return ToCommunity(directory, at, $"{whose}，{nobody}", compound, canonicalBuilding, grid, community);
    }

    private static RoutingDecision ToCommunity(
        DirectorySnapshot directory, DateTimeOffset at, string why, Compound compound, string? building, Grid? grid, Community? community)
    {
        if (community is not null && directory.AvailableStaffOf(community.Id, at) is { } staff)
        {
            return Decision(RoutingLevel.Community, $"{why}，转{community.Name}{staff.Name}", compound, building, grid, community, staff);
        }
        var toStreet = ToStreet(directory, at, $"{why}，{community?.Name ?? "社区"}无人可接", compound, building);
        return toStreet with { Grid = grid, Community = community };
    }

    private static RoutingDecision ToStreet(DirectorySnapshot directory, DateTimeOffset at, string why, Compound? compound, string? building)
    {
        var office = directory.Data.StreetOffice.Name;
        var staff = directory.AvailableStreetStaff(at);
        var to = staff is null ? $"转{office}" : $"转{office}{staff.Name}";
        return Decision(RoutingLevel.Street, $"{why}，{to}", compound, building, null, null, staff);
    }

    private static RoutingDecision Decision(
        RoutingLevel level, string reason, Compound? compound, string? building, Grid? grid, Community? community, Worker? worker) => new()
    {
        Level = level,
        Reason = reason,
        Compound = compound,
        Building = building,
        Grid = grid,
        Community = community,
        Worker = worker,
    };

    private static string MatchedCategory(Department department, string category) =>
        department.Categories.FirstOrDefault(c => c == category) ?? department.Categories.First(c => category.StartsWith(c + "-", StringComparison.Ordinal));
}
