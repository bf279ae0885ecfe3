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

    private readonly IPasswordHasher<AdminUser> _hasher;

    // Verified when the name is unknown, so that a wrong name costs as long as a wrong password.
    private readonly string _dummyHash;

    private readonly ILiteCollection<AdminUser> _users;
    private readonly Lock _lock = new();

    // Attempts admitted and being hashed, per account and per account+address: they count as failures until they are
    // known to be right, so that a burst of concurrent guesses cannot try more passwords than the lockout allows.
    private readonly Dictionary<string, int> _pendingByAccount = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, string Address), int> _pendingByAddress = [];

    public AdminUserStore(ILiteDatabase database, IPasswordHasher<AdminUser>? hasher = null)
    {
        _users = LiteDbCollections.Open<AdminUser>(database, CollectionName);
        _hasher = hasher ?? new PasswordHasher<AdminUser>();
        _dummyHash = _hasher.HashPassword(new AdminUser(), "not-a-password");
    }

    public int Count() => _users.Count();

    public AdminUser? Find(string name) => _users.FindById(name);

    /// <summary>
    /// Whether a session signed in as <paramref name="name"/> with <paramref name="stamp"/> still stands: the account exists
    /// and its security stamp is still that one.
    /// </summary>
    public bool IsSessionCurrent(string name, string stamp) =>
        Find(name) is { } user && string.Equals(user.SecurityStamp, stamp, StringComparison.Ordinal);

    public IReadOnlyList<AdminUser> All() => _users.FindAll().OrderBy(u => u.Name, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Creates or replaces the account <paramref name="user"/> with <paramref name="password"/> hashed; clears any
    /// lockout and gives it a new security stamp, which ends every session signed in before.
    /// </summary>
    public void Save(AdminUser user, string password)
    {
        user.PasswordHash = _hasher.HashPassword(user, password);
        user.SecurityStamp = Guid.NewGuid().ToString("N");
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
    /// to everyone. A success resets the count of its own address only. The password is hashed outside the store's
    /// lock; an attempt that would exceed a limit if the ones being hashed fail is refused as <see cref="LoginOutcome.Busy"/>.
    /// </summary>
    public (LoginOutcome Outcome, AdminUser? User) CheckPassword(string name, string password, string address, DateTime now, AdminOptions limits)
    {
        var (refused, user) = Admit(name, address, now, limits);
        if (refused is { } outcome)
        {
            return (outcome, null);
        }

        if (user is null)
        {
            _hasher.VerifyHashedPassword(new AdminUser(), _dummyHash, password);
            return (LoginOutcome.Failed, null);
        }

        PasswordVerificationResult verified;
        string? rehashed = null;
        try
        {
            verified = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
            if (verified == PasswordVerificationResult.SuccessRehashNeeded)
            {
                rehashed = _hasher.HashPassword(user, password);
            }
        }
        catch
        {
            lock (_lock)
            {
                Release(user.Name, address);
            }

            throw;
        }

        return Record(user, verified != PasswordVerificationResult.Failed, rehashed, address, now, limits);
    }

    /// <summary>Under the lock: the account's locks and the attempts already being hashed decide whether this one is hashed.</summary>
    private (LoginOutcome? Refused, AdminUser? User) Admit(string name, string address, DateTime now, AdminOptions limits)
    {
        lock (_lock)
        {
            var user = string.IsNullOrEmpty(name) ? null : _users.FindById(name);
            if (user is null)
            {
                return (null, null);
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

            // Keyed by the stored name: LiteDB finds "Boss" for "boss".
            var pendingHere = _pendingByAddress.GetValueOrDefault((user.Name, address));
            var pendingAll = _pendingByAccount.GetValueOrDefault(user.Name);
            if ((failures?.Count ?? 0) + pendingHere >= limits.LockoutFailures || user.RecentFailures.Count + pendingAll >= limits.AccountLockoutFailures)
            {
                return (LoginOutcome.Busy, null);
            }

            _pendingByAddress[(user.Name, address)] = pendingHere + 1;
            _pendingByAccount[user.Name] = pendingAll + 1;
            return (null, user);
        }
    }

    /// <summary>Under the lock again: the outcome is counted on the account as it is now (other attempts may have changed it meanwhile).</summary>
    private (LoginOutcome Outcome, AdminUser? User) Record(AdminUser hashed, bool right, string? rehashed, string address, DateTime now, AdminOptions limits)
    {
        lock (_lock)
        {
            Release(hashed.Name, address);
            var user = _users.FindById(hashed.Name);
            if (user is null)
            {
                return (LoginOutcome.Failed, null);
            }

            Forget(user, now, limits.LockoutDuration);
            // A reset (admin create) while this one was being hashed: the password checked is no longer the account's.
            right &= user.SecurityStamp == hashed.SecurityStamp;
            if (!right)
            {
                var outcome = CountFailure(user, user.FailuresByAddress.Find(f => f.Address == address), address, now, limits);
                _users.Update(user);
                return (outcome, null);
            }

            if (rehashed is not null)
            {
                user.PasswordHash = rehashed;
            }

            user.FailuresByAddress.RemoveAll(f => f.Address == address);
            _users.Update(user);
            return (LoginOutcome.Succeeded, user);
        }
    }

    // Under _lock.
    private void Release(string name, string address)
    {
        Decrement(_pendingByAddress, (name, address));
        Decrement(_pendingByAccount, name);
    }

    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key)
        where TKey : notnull
    {
        if (counts.TryGetValue(key, out var count) && count > 1)
        {
            counts[key] = count - 1;
        }
        else
        {
            counts.Remove(key);
        }
    }

    /// <summary>Counts a failure from <paramref name="address"/> on <paramref name="user"/> and sets the lock it leads to (shared with <see cref="Storage.Postgres.PostgresAdminUserStore"/>).</summary>
    internal static LoginOutcome CountFailure(AdminUser user, LoginFailures? failures, string address, DateTime now, AdminOptions limits)
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
    internal static void Forget(AdminUser user, DateTime now, TimeSpan window)
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
