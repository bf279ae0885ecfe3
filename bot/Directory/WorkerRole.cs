namespace CommunityBot.Directory;

/// <summary>The level a worker acts at.</summary>
public enum WorkerRole
{
    /// <summary>网格员, looks after a third-level grid.</summary>
    Grid,

    /// <summary>社区工作人员, handles what its grids pass up.</summary>
    Community,

    /// <summary>街道工作人员, handles what the communities pass up.</summary>
    Street,
}
