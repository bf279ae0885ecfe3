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
        user.FailuresByAddress = [];
        user.RecentFailures = [];
        user.LockedUntil = null;
        lock (_lock)
        {
            _users.Upsert(user);
        }
    }

    /// <summary>
    /// Checks a password from the client at <paramref name="address"/>, counting failures per account and address:
    /// the <c>LockoutFailures</c>-th failure in a row from one address locks the account to that address for
    /// <c>LockoutDuration</c>, and <c>AccountLockoutFailures</c> failures from all addresses within that duration lock it
    /// to everyone. A success resets the count of its own address only.
    /// </summary>
    public (LoginOutcome Outcome, AdminUser? User) CheckPassword(string name, string password, string address, DateTime now, AdminOptions limits)
    {
        lock (_lock)
        {
            var user = string.IsNullOrEmpty(name) ? null : _users.FindById(name);
            if (user is null)
            {
                Hasher.VerifyHashedPassword(new AdminUser(), DummyHash, password);
                return (LoginOutcome.Failed, null);
            }

            Forget(user, now, limits.LockoutDuration);
            if (user.LockedUntil is { } accountUntil && accountUntil.ToUniversalTime() > now)
            {
                return (LoginOutcome.AccountLockedOut, null);
            }

            var failures = user.FailuresByAddress.Find(f => f.Address == address);
            if (failures?.LockedUntil is { } until && until.ToUniversalTime() > now)
            {
                return (LoginOutcome.LockedOut, null);
            }

            var verified = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
            if (verified == PasswordVerificationResult.Failed)
            {
                var outcome = CountFailure(user, failures, address, now, limits);
                _users.Update(user);
                return (outcome, null);
            }

            if (verified == PasswordVerificationResult.SuccessRehashNeeded)
            {
                user.PasswordHash = Hasher.HashPassword(user, password);
            }

            user.FailuresByAddress.RemoveAll(f => f.Address == address);
            _users.Update(user);
            return (LoginOutcome.Succeeded, user);
        }
    }

    private static LoginOutcome CountFailure(AdminUser user, LoginFailures? failures, string address, DateTime now, AdminOptions limits)
    {
        if (failures is null)
        {
            failures = new LoginFailures { Address = address };
            user.FailuresByAddress.Add(failures);
        }

        failures.Count++;
        failures.LastAt = now;
        user.RecentFailures.Add(now);
        if (user.RecentFailures.Count >= limits.AccountLockoutFailures)
        {
            user.LockedUntil = now + limits.LockoutDuration;
            user.RecentFailures.Clear();
            return LoginOutcome.AccountLockedOut;
        }

        if (failures.Count >= limits.LockoutFailures)
        {
            failures.LockedUntil = now + limits.LockoutDuration;
            failures.Count = 0;
            return LoginOutcome.LockedOut;
        }

        return LoginOutcome.Failed;
    }

    /// <summary>
    /// Drops what no longer counts: failures older than <paramref name="window"/>, and per-address entries whose lock ran
    /// out or whose last failure is that old (a lock that ran out starts a new count). This also keeps the account's
    /// document small however many addresses try it.
    /// </summary>
    private static void Forget(AdminUser user, DateTime now, TimeSpan window)
    {
        // LiteDB hands back stored times as local times; compare them as UTC like now.
        user.RecentFailures.RemoveAll(at => at.ToUniversalTime() <= now - window);
        user.FailuresByAddress.RemoveAll(f => f.LockedUntil is { } until ? until.ToUniversalTime() <= now : f.LastAt.ToUniversalTime() <= now - window);
        if (user.LockedUntil is { } accountUntil && accountUntil.ToUniversalTime() <= now)
        {
            user.LockedUntil = null;
        }
    }
}
