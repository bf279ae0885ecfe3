using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Admin;

/// <summary>Settings of the admin console.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>
    /// Failed logins in a row from one client address that lock the account for that address (others can still sign
    /// in, so an attacker cannot lock the real user out).
    /// </summary>
    [Range(1, 100)]
    public int LockoutFailures { get; set; } = 5;

    /// <summary>
    /// Failed logins from all addresses together within <see cref="LockoutDuration"/> that lock the account for
    /// everyone (password guessing spread over many addresses).
    /// </summary>
    [Range(1, 10_000)]
    public int AccountLockoutFailures { get; set; } = 50;

    /// <summary>How long a lock lasts; also the window of <see cref="AccountLockoutFailures"/>, and how long an address's failures are remembered.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Sign-ins whose password is checked at the same time (each hash takes a core for tens of milliseconds); more wait
    /// in a queue of <see cref="LoginQueue"/>, and beyond it are answered 503 with <c>Retry-After</c>.
    /// </summary>
    [Range(1, 64)]
    public int LoginConcurrency { get; set; } = 2;

    /// <summary>Sign-ins that wait for one of the <see cref="LoginConcurrency"/> places before further ones are refused.</summary>
    [Range(0, 1000)]
    public int LoginQueue { get; set; } = 8;

    /// <summary>How long a login lasts without activity.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan SessionIdle { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Rows on one page of the ticket list.</summary>
    [Range(10, 1000)]
    public int PageSize { get; set; } = 100;
}
