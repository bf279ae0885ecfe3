using CommunityBot.Storage;
using LiteDB;
using Microsoft.AspNetCore.Identity;

namespace CommunityBot.Admin;

/// <summary>
/// Console accounts in LiteDB (<c>admin_users</c>): passwords hashed with ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/>, and a lockout after repeated failures.
/// </summary>
public sealed class AdminUserStore
{
    public const string CollectionName = "admin_users";

    private static readonly PasswordHasher<AdminUser> Hasher = new();

    // Verified when the name is unknown, so that a wrong name costs as long as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(new AdminUser(), "not-a-password");

    private readonly ILiteCollection<AdminUser> _users;
    private readonly Lock _lock = new();

    public AdminUserStore(ILiteDatabase database)
    {
        _users = LiteDbCollections.Open<AdminUser>(database, CollectionName);
    }

    public int Count() => _users.Count();

    public AdminUser? Find(string name) => _users.FindById(name);

    public IReadOnlyList<AdminUser> All() => _users.FindAll().OrderBy(u => u.Name, StringComparer.Ordinal).ToList();

    /// <summary>Creates or replaces the account <paramref name="user"/> with <paramref name="password"/> hashed; clears any lockout.</summary>
    public void Save(AdminUser user, string password)
    {
        user.PasswordHash = Hasher.HashPassword(user, password);
        user.FailedAttempts = 0;
        user.LockedUntil = null;
        lock (_lock)
        {
            _users.Upsert(user);
        }
    }

    /// <summary>
    /// Checks a password, counting failures: the <paramref name="failuresToLock"/>-th failure in a row locks the
    /// account until <paramref name="now"/> + <paramref name="lockFor"/>; a success resets the count.
    /// </summary>
    public (LoginOutcome Outcome, AdminUser? User) CheckPassword(string name, string password, DateTime now, int failuresToLock, TimeSpan lockFor)
    {
        lock (_lock)
        {
            var user = string.IsNullOrEmpty(name) ? null : _users.FindById(name);
            if (user is null)
            {
                Hasher.VerifyHashedPassword(new AdminUser(), DummyHash, password);
                return (LoginOutcome.Failed, null);
            }

            if (user.LockedUntil is { } until && until > now)
            {
                return (LoginOutcome.LockedOut, null);
            }

            var verified = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
            if (verified == PasswordVerificationResult.Failed)
            {
                user.FailedAttempts = user.LockedUntil is null ? user.FailedAttempts + 1 : 1; // a lock that ran out starts a new count
                user.LockedUntil = null;
                if (user.FailedAttempts >= failuresToLock)
                {
                    user.LockedUntil = now + lockFor;
                    user.FailedAttempts = 0;
                }

                _users.Update(user);
                return (user.LockedUntil is null ? LoginOutcome.Failed : LoginOutcome.LockedOut, null);
            }

            if (verified == PasswordVerificationResult.SuccessRehashNeeded)
            {
                user.PasswordHash = Hasher.HashPassword(user, password);
            }

            user.FailedAttempts = 0;
            user.LockedUntil = null;
            _users.Update(user);
            return (LoginOutcome.Succeeded, user);
        }
    }
}
