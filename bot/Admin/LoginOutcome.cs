namespace CommunityBot.Admin;

/// <summary>What a login attempt came to.</summary>
public enum LoginOutcome
{
    Succeeded,
    /// <summary>Unknown name or wrong password (the page does not say which).</summary>
    Failed,
    /// <summary>Too many failures in a row; the account is locked for a while, even to the right password.</summary>
    LockedOut,
}
