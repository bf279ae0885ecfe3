namespace CommunityBot.Directory;

/// <summary>An immutable, indexed view of one version of the directory; routing reads only this.</summary>
public sealed class DirectorySnapshot
{
    private readonly Dictionary<string, Compound> _compoundsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DutyShift>> _rosterByGrid;
    private readonly Dictionary<string, List<LeavePeriod>> _leaveByWorker;
    private readonly Dictionary<(string Channel, string UserId), Worker> _workersByIdentity = [];

    public DirectorySnapshot(DirectoryData data)
    {
        Data = data;
        Communities = data.Communities.ToDictionary(c => c.Id, StringComparer.Ordinal);
        Grids = data.Grids.ToDictionary(g => g.Id, StringComparer.Ordinal);
        Compounds = data.Compounds.ToDictionary(c => c.Id, StringComparer.Ordinal);
        Workers = data.Workers.ToDictionary(w => w.Id, StringComparer.Ordinal);
        foreach (var compound in data.Compounds)
        {
            foreach (var name in compound.Aliases.Prepend(compound.Name))
            {
                _compoundsByName.TryAdd(name, compound);
            }
        }
        _rosterByGrid = data.Roster.GroupBy(s => s.GridId).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        _leaveByWorker = data.Leave.GroupBy(l => l.WorkerId).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var worker in data.Workers)
        {
            AddIdentity(WorkerChannels.Teams, worker.TeamsUserId, worker);
            AddIdentity(WorkerChannels.AadObject, worker.AadObjectId, worker);
            AddIdentity(WorkerChannels.WeCom, worker.WeComUserId, worker);
            AddIdentity(WorkerChannels.WebChat, worker.WebChatUserId, worker);
        }
        CompoundInfos = data.Compounds
            .Select(c => new Dialogs.Directory.CompoundInfo(
                c.Id, c.Name, Communities.TryGetValue(c.Community, out var community) ? community.Name : c.Community, c.Buildings, c.Aliases, c.Community))
            .ToList();
    }

    public DirectoryData Data { get; }

    public IReadOnlyDictionary<string, Community> Communities { get; }

    public IReadOnlyDictionary<string, Grid> Grids { get; }

    public IReadOnlyDictionary<string, Compound> Compounds { get; }

    public IReadOnlyDictionary<string, Worker> Workers { get; }

    /// <summary>What the dialogs port hands out (community by name).</summary>
    public IReadOnlyList<Dialogs.Directory.CompoundInfo> CompoundInfos { get; }

    /// <summary>The compound with this id, name or alias.</summary>
    public Compound? FindCompound(string idOrName) =>
        Compounds.TryGetValue(idOrName, out var byId) ? byId : _compoundsByName.GetValueOrDefault(idOrName.Trim());

    /// <summary>The worker behind a channel identity (see <see cref="WorkerChannels"/>), or null for residents.</summary>
    public Worker? FindWorker(string channel, string userId) => _workersByIdentity.GetValueOrDefault((channel, userId));

    public IReadOnlyList<DutyShift> RosterOf(string gridId) => _rosterByGrid.TryGetValue(gridId, out var shifts) ? shifts : [];

    /// <summary>Whether the worker cannot take a ticket at <paramref name="at"/>: on leave then, or not active.</summary>
    public bool IsAway(string workerId, DateTimeOffset at) =>
        (Workers.TryGetValue(workerId, out var worker) && !worker.Active)
        || (_leaveByWorker.TryGetValue(workerId, out var periods) && periods.Any(p => p.Covers(at)));

    /// <summary>
    /// The community's staff member who takes what its grids cannot: the first in directory order who is not away at
    /// <paramref name="at"/>, or null. Routing and the escalation ladder both ask this.
    /// </summary>
    public Worker? AvailableStaffOf(string communityId, DateTimeOffset at) =>
        Data.Workers.FirstOrDefault(w => w.Role == WorkerRole.Community && w.Community == communityId && !IsAway(w.Id, at));

    /// <summary>The street office's staff member who takes what no community can: the first not away, or null.</summary>
    public Worker? AvailableStreetStaff(DateTimeOffset at) =>
        Data.Workers.FirstOrDefault(w => w.Role == WorkerRole.Street && !IsAway(w.Id, at));

    private void AddIdentity(string channel, string? userId, Worker worker)
    {
        if (!string.IsNullOrEmpty(userId))
        {
            _workersByIdentity.TryAdd((channel, userId), worker);
        }
    }
}
