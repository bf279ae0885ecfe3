namespace CommunityBot.Admin;

/// <summary>What a login attempt came to.</summary>
public enum LoginOutcome
{
    Succeeded,
    /// <summary>Unknown name or wrong password (the page does not say which).</summary>
    Failed,
    /// <summary>Too many failures in a row from this address; the account is locked to it for a while, even to the right password.</summary>
    LockedOut,
    /// <summary>Too many failures from all addresses together; the account is locked to everyone for a while.</summary>
    AccountLockedOut,
    /// <summary>
    /// Refused without checking: the attempts for this account (from this address, or from all) still being checked
    /// would reach a lock if they failed, so this one has to wait for them.
    /// </summary>
    Busy,
}
