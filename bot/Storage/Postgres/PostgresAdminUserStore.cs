using System.Text.Json;
using CommunityBot.Admin;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using NpgsqlTypes;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// <see cref="AdminUserStore"/> on PostgreSQL (tables <c>admin_users</c> and <c>admin_login_attempts</c>, migration 6), for
/// several instances sharing one database: the same accounts, lockouts and security stamps, counted in the database.
/// A sign-in takes the account's row <c>FOR UPDATE</c> twice, each time in a short transaction of its own: to be admitted
/// (the locks, the failures and the attempts in flight on every instance decide; an admitted attempt is recorded in
/// <c>admin_login_attempts</c>), and after the password was checked, outside any transaction, to count the outcome (the
/// attempt's row is deleted in the same commit that counts its failure). So N wrong passwords spread over instances lock
/// the account as N on one would, and concurrent guesses on all instances together cannot be checked more often than the
/// lockout allows.
/// </summary>
/// <remarks>
/// An attempt in flight counts until <see cref="AttemptExpiry"/> after it was admitted, on the caller's clock: an instance
/// that dies while hashing leaves its attempts counted for that long, not for ever. The bound therefore holds for checks
/// that finish within that time (a hash takes tens of milliseconds); one that takes longer stops holding its place, though
/// its failure is still counted when it ends. The instances' clocks must agree (NTP) to well within it. READ COMMITTED
/// (the default): each statement after the row lock sees what the transaction it waited for committed.
/// </remarks>
public sealed class PostgresAdminUserStore
{
    /// <summary>How long an admitted sign-in counts as in flight if its instance never reports the outcome.</summary>
    public static readonly TimeSpan AttemptExpiry = TimeSpan.FromMinutes(1);

    private const string Upsert = """
        INSERT INTO admin_users (name_key, doc) VALUES (@key, @doc)
        ON CONFLICT (name_key) DO UPDATE SET doc = excluded.doc
        """;

    private static readonly JsonSerializerOptions Json = PostgresDocuments.Options;

    private readonly NpgsqlDataSource _dataSource;
    private readonly IPasswordHasher<AdminUser> _hasher;

    // Verified when the name is unknown, so that a wrong name costs as long as a wrong password.
    private readonly string _dummyHash;

    public PostgresAdminUserStore(NpgsqlDataSource dataSource, IPasswordHasher<AdminUser>? hasher = null)
    {
        _dataSource = dataSource;
        _hasher = hasher ?? new PasswordHasher<AdminUser>();
        _dummyHash = _hasher.HashPassword(new AdminUser(), "not-a-password");
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM admin_users");
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The account as committed, found whatever the case of <paramref name="name"/> (as LiteDB's ids are).</summary>
    public async Task<AdminUser?> FindAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var command = _dataSource.CreateCommand("SELECT doc FROM admin_users WHERE name_key = @key");
        command.Parameters.AddWithValue("key", KeyOf(name));
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>Every account, by name.</summary>
    public async Task<IReadOnlyList<AdminUser>> AllAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT doc FROM admin_users");
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Whether a session signed in as <paramref name="name"/> with <paramref name="stamp"/> still stands, read from the shared
    /// row: a <see cref="SaveAsync"/> on any instance ends it.
    /// </summary>
    public async Task<bool> IsSessionCurrentAsync(string name, string stamp, CancellationToken cancellationToken) =>
        await FindAsync(name, cancellationToken).ConfigureAwait(false) is { } user
        && string.Equals(user.SecurityStamp, stamp, StringComparison.Ordinal);

    /// <summary>
    /// Creates or replaces the account <paramref name="user"/> with <paramref name="password"/> hashed (before any statement);
    /// clears any lockout and gives it a new security stamp, which ends every session signed in before, on every instance.
    /// </summary>
    public async Task SaveAsync(AdminUser user, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        user.PasswordHash = _hasher.HashPassword(user, password);
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.FailuresByAddress = [];
        user.RecentFailures = [];
        user.LockedUntil = null;
        await using var command = _dataSource.CreateCommand(Upsert);
        AddDocument(command, user);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks a password from the client at <paramref name="address"/> with <see cref="AdminUserStore.CheckPassword"/>'s
    /// rules, counting on the shared row: the <c>LockoutFailures</c>-th failure in a row from one address locks the account
    /// to that address, <c>AccountLockoutFailures</c> from all addresses within <c>LockoutDuration</c> lock it to everyone, a
    /// success resets its own address's count. The password is hashed outside any transaction; an attempt that would exceed
    /// a limit if the ones in flight on every instance fail is refused as <see cref="LoginOutcome.Busy"/>.
    /// </summary>
    public async Task<(LoginOutcome Outcome, AdminUser? User)> CheckPasswordAsync(
        string name, string password, string address, DateTime now, AdminOptions limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        now = PostgresDocuments.ToUtc(now);
        var (refused, user, attempt) = await AdmitAsync(name ?? "", address, now, limits, cancellationToken).ConfigureAwait(false);
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
            await using var release = _dataSource.CreateCommand("DELETE FROM admin_login_attempts WHERE id = @id");
            release.Parameters.AddWithValue("id", attempt);
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return await RecordAsync(user, attempt, verified != PasswordVerificationResult.Failed, rehashed, address, now, limits, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Under the row lock: the account's locks, its failures and the unexpired attempts in flight on every instance decide
    /// whether this one is hashed; if it is, it is recorded as in flight before the lock is released.
    /// </summary>
    private async Task<(LoginOutcome? Refused, AdminUser? User, Guid Attempt)> AdmitAsync(
        string name, string address, DateTime now, AdminOptions limits, CancellationToken cancellationToken)
    {
        if (name.Length == 0)
        {
            return (null, null, Guid.Empty);
        }

        var key = KeyOf(name);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var user = await LockAsync(key, transaction, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return (null, null, Guid.Empty);
        }

        AdminUserStore.Forget(user, now, limits.LockoutDuration);
        if (user.LockedUntil is { } accountUntil && accountUntil > now)
        {
            return (LoginOutcome.AccountLockedOut, null, Guid.Empty);
        }

        var failures = user.FailuresByAddress.Find(f => f.Address == address);
        if (failures?.LockedUntil is { } until && until > now)
        {
            return (LoginOutcome.LockedOut, null, Guid.Empty);
        }

        // A statement after the lock, so its snapshot holds every attempt admitted by a transaction this one waited for.
        int pendingHere, pendingAll;
        await using (var pending = new NpgsqlCommand("""
            DELETE FROM admin_login_attempts WHERE name_key = @key AND expires_at <= @now;
            SELECT count(*) FILTER (WHERE address = @address), count(*) FROM admin_login_attempts WHERE name_key = @key AND expires_at > @now;
            """, connection, transaction))
        {
            pending.Parameters.AddWithValue("key", key);
            pending.Parameters.AddWithValue("address", address);
            pending.Parameters.AddWithValue("now", now);
            await using var reader = await pending.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            (pendingHere, pendingAll) = ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
        }

        if ((failures?.Count ?? 0) + pendingHere >= limits.LockoutFailures || user.RecentFailures.Count + pendingAll >= limits.AccountLockoutFailures)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false); // the expired attempts stay forgotten
            return (LoginOutcome.Busy, null, Guid.Empty);
        }

        var attempt = Guid.NewGuid();
        await using (var admit = new NpgsqlCommand(
            "INSERT INTO admin_login_attempts (id, name_key, address, expires_at) VALUES (@id, @key, @address, @expires_at)", connection, transaction))
        {
            admit.Parameters.AddWithValue("id", attempt);
            admit.Parameters.AddWithValue("key", key);
            admit.Parameters.AddWithValue("address", address);
            admit.Parameters.AddWithValue("expires_at", now + AttemptExpiry);
            await admit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (null, user, attempt);
    }

    /// <summary>
    /// Under the row lock again: the outcome is counted on the account as it is now (other attempts, on any instance, may
    /// have changed it meanwhile), and the attempt stops being in flight in the same commit.
    /// </summary>
    private async Task<(LoginOutcome Outcome, AdminUser? User)> RecordAsync(
        AdminUser hashed, Guid attempt, bool right, string? rehashed, string address, DateTime now, AdminOptions limits, CancellationToken cancellationToken)
    {
        var key = KeyOf(hashed.Name);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var user = await LockAsync(key, transaction, cancellationToken).ConfigureAwait(false);
        await using (var release = new NpgsqlCommand("DELETE FROM admin_login_attempts WHERE id = @id", connection, transaction))
        {
            release.Parameters.AddWithValue("id", attempt);
            await release.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (user is null)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (LoginOutcome.Failed, null);
        }

        AdminUserStore.Forget(user, now, limits.LockoutDuration);
        // A Save (on any instance) while this one was being hashed: the password checked is no longer the account's.
        right &= user.SecurityStamp == hashed.SecurityStamp;
        LoginOutcome outcome;
        if (!right)
        {
            outcome = AdminUserStore.CountFailure(user, user.FailuresByAddress.Find(f => f.Address == address), address, now, limits);
        }
        else
        {
            if (rehashed is not null)
            {
                user.PasswordHash = rehashed;
            }

            user.FailuresByAddress.RemoveAll(f => f.Address == address);
            outcome = LoginOutcome.Succeeded;
        }

        await using (var update = new NpgsqlCommand("UPDATE admin_users SET doc = @doc WHERE name_key = @key", connection, transaction))
        {
            AddDocument(update, user);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (outcome, outcome == LoginOutcome.Succeeded ? user : null);
    }

    /// <summary>The account's row, locked until <paramref name="transaction"/> ends (waiting for another instance's sign-in to commit first).</summary>
    private static async Task<AdminUser?> LockAsync(string key, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT doc FROM admin_users WHERE name_key = @key FOR UPDATE", transaction.Connection, transaction);
        command.Parameters.AddWithValue("key", key);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    // LiteDB compares ids ignoring case ("Boss" finds "boss"); the row's key is the name folded the same way for every instance.
    private static string KeyOf(string name) => name.ToLowerInvariant();

    private static void AddDocument(NpgsqlCommand command, AdminUser user)
    {
        command.Parameters.AddWithValue("key", KeyOf(user.Name));
        command.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Json) { Value = JsonSerializer.Serialize(user, Json) });
    }

    private static async Task<List<AdminUser>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var users = new List<AdminUser>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            users.Add(JsonSerializer.Deserialize<AdminUser>(reader.GetString(0), Json)
                ?? throw new InvalidOperationException("A stored console account is null."));
        }

        return users;
    }
}
