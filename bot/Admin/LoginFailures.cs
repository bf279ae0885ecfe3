namespace CommunityBot.Admin;

/// <summary>Failed sign-ins to one account from one client address, and the lock they led to.</summary>
public sealed class LoginFailures
{
    /// <summary>The client's IP address as the server saw it.</summary>
    public string Address { get; set; } = "";

    /// <summary>Failures in a row from this address since its last success or lock.</summary>
    public int Count { get; set; }

    public DateTime LastAt { get; set; }

    /// <summary>Set when <see cref="Count"/> reached the limit: this address cannot sign in to the account until then.</summary>
    public DateTime? LockedUntil { get; set; }
}
