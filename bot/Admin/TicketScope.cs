using CommunityBot.Directory;
using CommunityBot.Tickets;

namespace CommunityBot.Admin;

/// <summary>
/// Which tickets a console user may see: admin and street office all of them, community staff those of their
/// community's grids or handled by its people, a worker those assigned to them or that they co-handle.
/// </summary>
public sealed class TicketScope(GridDirectory directory)
{
    /// <summary>Narrows <paramref name="filter"/> to what <paramref name="user"/> may see.</summary>
    public TicketFilter Apply(AdminSession user, TicketFilter filter) => user.Role switch
    {
        AdminRole.Admin or AdminRole.Street => filter,
        AdminRole.Community => filter with { GridIds = GridsOf(user.CommunityId), HandlerIds = PeopleOf(user.CommunityId) },
        _ => filter with { GridIds = [], HandlerIds = user.WorkerId is { } worker ? [worker] : [] },
    };

    public bool MaySee(AdminSession user, Ticket ticket) => user.Role switch
    {
        AdminRole.Admin or AdminRole.Street => true,
        AdminRole.Community => (ticket.GridId is { } grid && GridsOf(user.CommunityId).Contains(grid))
            || PeopleOf(user.CommunityId).Overlaps(ticket.CoHandlers.Append(ticket.AssigneeId)),
        _ => user.WorkerId is { } worker && (ticket.AssigneeId == worker || ticket.CoHandlers.Contains(worker)),
    };

    /// <summary>The grids the user may filter by, in directory order.</summary>
    public IReadOnlyList<Grid> Grids(AdminSession user) =>
        directory.Current.Data.Grids.Where(g => user.SeesAllTickets || (user.Role == AdminRole.Community && g.Community == user.CommunityId)).ToList();

    public string? WorkerName(string workerId) => directory.Current.Workers.GetValueOrDefault(workerId)?.Name;

    private HashSet<string> GridsOf(string? communityId) =>
        directory.Current.Data.Grids.Where(g => g.Community == communityId).Select(g => g.Id).ToHashSet(StringComparer.Ordinal);

    private HashSet<string> PeopleOf(string? communityId) =>
        directory.Current.Data.Workers.Where(w => w.Community == communityId).Select(w => w.Id).ToHashSet(StringComparer.Ordinal);
}
