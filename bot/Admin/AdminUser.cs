using LiteDB;

namespace CommunityBot.Admin;

/// <summary>A console account in the <c>admin_users</c> collection; the login name is the document id.</summary>
public sealed class AdminUser
{
    [BsonId]
    public string Name { get; set; } = "";
    public AdminRole Role { get; set; }
    /// <summary>The community whose tickets a community account sees.</summary>
    public string? CommunityId { get; set; }
    /// <summary>The directory worker this account acts as on tickets (required for the worker role).</summary>
    public string? WorkerId { get; set; }
    /// <summary>An ASP.NET Core Identity <c>PasswordHasher</c> hash (PBKDF2 with a salt).</summary>
    public string PasswordHash { get; set; } = "";
    /// <summary>
    /// Changed whenever the password, role or scope is set (<c>admin create</c>); a session carries the stamp it was
    /// signed in with and ends when the account's differs or the account is gone.
    /// </summary>
    public string SecurityStamp { get; set; } = "";
    /// <summary>Recent failed sign-ins per client address; a lock here keeps out that address only.</summary>
    public List<LoginFailures> FailuresByAddress { get; set; } = [];
    /// <summary>When each recent failure from any address happened, for the ceiling across addresses.</summary>
    public List<DateTime> RecentFailures { get; set; } = [];
    /// <summary>Set when the ceiling across addresses was reached: nobody can sign in to the account until then.</summary>
    public DateTime? LockedUntil { get; set; }
    public DateTime CreatedAt { get; set; }
}
