namespace CommunityBot.Demo;

/// <summary>
/// What a fresh install with the demo directory (丰和街道, <c>Directory:DemoFile</c>) gets on first start, so a newcomer's
/// console is not empty (section <c>Demo</c>). None of it happens with any other directory.
/// </summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Seeds a history of demo tickets, from the first day of the previous month to the start, once.</summary>
    public bool Tickets { get; set; } = true;

    /// <summary>Ties the local chat's demo group (幸福里小区业主群) to the 幸福里 compound in 群管理, once.</summary>
    public bool TieGroup { get; set; } = true;

    /// <summary>On a loopback-only server with no console account yet, prints a one-time console sign-in link at start.</summary>
    public bool SignIn { get; set; } = true;

    /// <summary>The seed of the ticket history: the same seed, start time and directory give the same tickets.</summary>
    public int Seed { get; set; } = 20261123;
}
