using CommunityBot.Admin;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Admin;
using Microsoft.AspNetCore.Identity;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// <see cref="PostgresAdminUserStore"/> on two instances sharing one database, each with its own data source: wrong
/// passwords spread over both lock the account as they would on one, every failure of a burst on both is counted, the
/// guesses in flight on both together are never more than the lockout allows, and a Save on one ends the sessions the
/// other checks.
/// </summary>
public sealed class PostgresAdminCrossInstanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const string Name = "boss";
    private const string Password = "correct-horse-1";

    private static readonly DateTime Now = new(2026, 11, 24, 2, 0, 0, DateTimeKind.Utc);

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        var source = database.NewDataSource();
        await using var command = source.CreateCommand("TRUNCATE admin_users, admin_login_attempts");
        await command.ExecuteNonQueryAsync();
        await new PostgresAdminUserStore(source).SaveAsync(new AdminUser { Name = Name, Role = AdminRole.Admin }, Password, CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [PostgresFact]
    public async Task TwoInstances_WrongPasswordsFromOneAddressAlternating_LockAtTheLimit()
    {
        var (a, b) = (Instance(), Instance());
        var limits = new AdminOptions();

        for (var i = 0; i < limits.LockoutFailures - 1; i++)
        {
            Assert.Equal(LoginOutcome.Failed, await (i % 2 == 0 ? a : b).CheckAsync(Name, "wrong", "203.0.113.7", Now, limits));
        }

        Assert.Equal(LoginOutcome.LockedOut, await b.CheckAsync(Name, "wrong", "203.0.113.7", Now, limits));
        Assert.Equal(LoginOutcome.LockedOut, await a.CheckAsync(Name, Password, "203.0.113.7", Now, limits));
        Assert.Equal(LoginOutcome.Succeeded, await a.CheckAsync(Name, Password, "198.51.100.20", Now, limits));
    }

    [PostgresFact]
    public async Task TwoInstances_WrongPasswordsFromManyAddressesAlternating_LockTheAccountAtTheCeiling()
    {
        var (a, b) = (Instance(), Instance());
        var limits = new AdminOptions { AccountLockoutFailures = 10 };

        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(LoginOutcome.Failed, await (i % 2 == 0 ? a : b).CheckAsync(Name, "wrong", $"192.0.2.{i + 1}", Now, limits));
        }

        Assert.Equal(LoginOutcome.AccountLockedOut, await b.CheckAsync(Name, "wrong", "192.0.2.100", Now, limits));
        Assert.Equal(LoginOutcome.AccountLockedOut, await a.CheckAsync(Name, Password, "198.51.100.20", Now, limits));
    }

    [PostgresFact]
    public async Task TwoInstances_BurstOfWrongPasswordsFromManyAddresses_EveryFailureIsCounted()
    {
        var (a, b) = (Instance(), Instance());
        var limits = new AdminOptions { AccountLockoutFailures = 1000 };
        const int Guesses = 60;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Guesses)
            .Select(i => (i % 2 == 0 ? a : b).CheckAsync(Name, "wrong", $"192.0.2.{i + 1}", Now, limits)));

        Assert.All(outcomes, o => Assert.Equal(LoginOutcome.Failed, o));
        var user = (await a.FindAsync(Name))!;
        Assert.Equal(Guesses, user.RecentFailures.Count); // none lost to another instance's write of the same row
        Assert.Equal(Guesses, user.FailuresByAddress.Count);
    }

    [PostgresFact]
    public async Task TwoInstances_GuessesInFlightOnBoth_AFurtherOneOnEitherIsRefusedUnchecked()
    {
        using var hasherA = new GatedPasswordHasher();
        using var hasherB = new GatedPasswordHasher();
        var (a, b) = (Instance(hasherA), Instance(hasherB));
        var limits = new AdminOptions { LockoutFailures = 3 };
        var guesses = new[] { a, a, b }.Select(instance => instance.CheckAsync(Name, "wrong", "203.0.113.7", Now, limits)).ToList();
        hasherA.WaitUntilInside(2);
        hasherB.WaitUntilInside(1);

        Assert.Equal(LoginOutcome.Busy, await b.CheckAsync(Name, Password, "203.0.113.7", Now, limits).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(LoginOutcome.Busy, await a.CheckAsync(Name, Password, "203.0.113.7", Now, limits).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal((2, 1), (hasherA.Checks, hasherB.Checks));

        hasherA.Open();
        hasherB.Open();
        Assert.Equal([LoginOutcome.Failed, LoginOutcome.Failed, LoginOutcome.LockedOut], (await Task.WhenAll(guesses)).Order());
        Assert.Equal(LoginOutcome.LockedOut, await b.CheckAsync(Name, Password, "203.0.113.7", Now, limits));
    }

    [PostgresFact]
    public async Task TwoInstances_BurstOfGuessesFromOneAddress_NoMoreAreCheckedThanTheLockoutAllows()
    {
        using var hasher = new GatedPasswordHasher();
        var (a, b) = (Instance(hasher), Instance(hasher));
        var limits = new AdminOptions { LockoutFailures = 5 };
        const int Guesses = 30;

        var guesses = Enumerable.Range(0, Guesses).Select(i => (i % 2 == 0 ? a : b).CheckAsync(Name, "wrong", "203.0.113.7", Now, limits)).ToList();
        hasher.WaitUntilInside(limits.LockoutFailures);
        hasher.Open();
        var outcomes = await Task.WhenAll(guesses);

        // However the admissions on the two instances interleave, five passwords are checked, the fifth failure locks.
        Assert.Equal(limits.LockoutFailures, hasher.Checks);
        Assert.Equal(4, outcomes.Count(o => o == LoginOutcome.Failed));
        Assert.All(outcomes.Where(o => o != LoginOutcome.Failed), o => Assert.True(o is LoginOutcome.LockedOut or LoginOutcome.Busy, $"{o}"));
        Assert.Equal(1, (await a.FindAsync(Name))!.FailuresByAddress.Count(f => f.LockedUntil is not null));
    }

    [PostgresFact]
    public async Task TwoInstances_SaveOnOne_EndsTheSessionTheOtherChecks()
    {
        var (a, b) = (Instance(), Instance());
        Assert.Equal(LoginOutcome.Succeeded, await b.CheckAsync(Name, Password, "203.0.113.7", Now, new AdminOptions()));
        var stamp = (await b.FindAsync(Name))!.SecurityStamp; // the stamp B's cookie carries
        Assert.True(await b.IsSessionCurrentAsync(Name, stamp));

        await a.SaveAsync((await a.FindAsync(Name))!, "a-new-password-3");

        Assert.False(await b.IsSessionCurrentAsync(Name, stamp));
        Assert.Equal(LoginOutcome.Failed, await b.CheckAsync(Name, Password, "203.0.113.7", Now, new AdminOptions()));
        Assert.Equal(LoginOutcome.Succeeded, await b.CheckAsync(Name, "a-new-password-3", "203.0.113.7", Now, new AdminOptions()));
        Assert.True(await a.IsSessionCurrentAsync(Name, (await b.FindAsync(Name))!.SecurityStamp));
    }

    // An "instance": its own data source (connection pool) and store over it.
    private PostgresAccounts Instance(IPasswordHasher<AdminUser>? hasher = null) =>
        new(new PostgresAdminUserStore(database.NewDataSource(), hasher ?? new PlainHasher()));

    /// <summary>
    /// A hasher that does the work only for the account's real hash (the set-up's): a wrong password is refused at once, so
    /// a burst's attempts meet in the database rather than queue for the cores.
    /// </summary>
    private sealed class PlainHasher : IPasswordHasher<AdminUser>
    {
        private readonly PasswordHasher<AdminUser> _real = new();

        public string HashPassword(AdminUser user, string password) => "plain:" + password;

        public PasswordVerificationResult VerifyHashedPassword(AdminUser user, string hashedPassword, string providedPassword) =>
            hashedPassword.StartsWith("plain:", StringComparison.Ordinal)
                ? (hashedPassword == "plain:" + providedPassword ? PasswordVerificationResult.Success : PasswordVerificationResult.Failed)
                : providedPassword == "wrong" ? PasswordVerificationResult.Failed : _real.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
