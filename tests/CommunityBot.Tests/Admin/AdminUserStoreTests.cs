using CommunityBot.Admin;
using LiteDB;

namespace CommunityBot.Tests.Admin;

/// <summary>
/// Sign-in failures count per account and client address, so an attacker cannot lock the real user out, with a much
/// higher ceiling per account across addresses against password spraying.
/// </summary>
public sealed class AdminUserStoreTests : IDisposable
{
    private const string Name = "boss";
    private const string Password = "correct-horse-1";
    private const string A = "203.0.113.7";
    private const string B = "198.51.100.20";

    private static readonly AdminOptions Limits = new();

    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly AdminUserStore _users;
    private DateTime _now = new(2026, 11, 24, 2, 0, 0, DateTimeKind.Utc);

    public AdminUserStoreTests()
    {
        _users = new AdminUserStore(_database);
        _users.Save(new AdminUser { Name = Name, Role = AdminRole.Admin }, Password);
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public void CheckPassword_FiveFailuresFromA_LockAButNotB()
    {
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(LoginOutcome.Failed, Check("wrong", A));
        }

        Assert.Equal(LoginOutcome.LockedOut, Check("wrong", A));
        Assert.Equal(LoginOutcome.LockedOut, Check(Password, A));
        Assert.Equal(LoginOutcome.Succeeded, Check(Password, B));

        _now += TimeSpan.FromMinutes(15);
        Assert.Equal(LoginOutcome.Succeeded, Check(Password, A));
    }

    [Fact]
    public void CheckPassword_FiftyFailuresAcrossAddresses_LockTheAccountForEveryoneForTheDuration()
    {
        for (var i = 0; i < 49; i++)
        {
            Assert.Equal(LoginOutcome.Failed, Check("wrong", Address(i / 4))); // four per address: no address lock
            _now += TimeSpan.FromSeconds(10);
        }

        Assert.Equal(LoginOutcome.AccountLockedOut, Check("wrong", Address(99)));
        Assert.Equal(LoginOutcome.AccountLockedOut, Check(Password, B));

        _now += TimeSpan.FromMinutes(14);
        Assert.Equal(LoginOutcome.AccountLockedOut, Check(Password, B));
        _now += TimeSpan.FromMinutes(1);
        Assert.Equal(LoginOutcome.Succeeded, Check(Password, B));
    }

    [Fact]
    public void CheckPassword_FailuresSpreadOverMoreThanTheWindow_DoNotReachTheCeiling()
    {
        for (var i = 0; i < 49; i++)
        {
            Check("wrong", Address(i / 4));
        }

        _now += TimeSpan.FromMinutes(16);
        Assert.Equal(LoginOutcome.Failed, Check("wrong", Address(99)));

        // What no longer counts is dropped, so many addresses do not grow the account's record for ever.
        var user = _users.Find(Name)!;
        Assert.Single(user.RecentFailures);
        Assert.Equal([Address(99)], user.FailuresByAddress.Select(f => f.Address));
    }

    [Fact]
    public void CheckPassword_Success_ResetsItsOwnAddressesCountOnly()
    {
        for (var i = 0; i < 4; i++)
        {
            Check("wrong", A);
            Check("wrong", B);
        }

        Assert.Equal(LoginOutcome.Succeeded, Check(Password, A));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(LoginOutcome.Failed, Check("wrong", A));
        }
        Assert.Equal(LoginOutcome.LockedOut, Check("wrong", B));
        Assert.Equal(LoginOutcome.LockedOut, Check("wrong", A));
    }

    [Fact]
    public void Save_AgainForALockedAccount_ClearsEveryLock()
    {
        for (var i = 0; i < 50; i++)
        {
            Check("wrong", Address(i));
        }
        Assert.Equal(LoginOutcome.AccountLockedOut, Check(Password, A));

        _users.Save(_users.Find(Name)!, Password);

        Assert.Equal(LoginOutcome.Succeeded, Check(Password, A));
    }

    [Fact]
    public async Task Issue12_CheckPassword_ConcurrentGuessesFromOneAddress_NoMoreAreHashedThanTheLockoutAllows()
    {
        using var hasher = new GatedPasswordHasher();
        var users = new AdminUserStore(_database, hasher);
        var limits = new AdminOptions { LockoutFailures = 3 };
        var guesses = Enumerable.Range(0, 3).Select(_ => Task.Run(() => users.CheckPassword(Name, "wrong", A, _now, limits).Outcome)).ToList();
        hasher.WaitUntilInside(3); // hashed side by side, not one after another under a lock

        // Three guesses from A are being checked: if they fail, A is locked, so a fourth is not even hashed.
        Assert.Equal(LoginOutcome.Busy, await Unheld(() => users.CheckPassword(Name, Password, A, _now, limits).Outcome));
        Assert.Equal(3, hasher.Checks);
        // The real user elsewhere is checked as usual.
        var real = Task.Run(() => users.CheckPassword(Name, Password, B, _now, limits).Outcome);
        hasher.WaitUntilInside(1);

        hasher.Open();
        Assert.Equal([LoginOutcome.Failed, LoginOutcome.Failed, LoginOutcome.LockedOut], (await Task.WhenAll(guesses)).Order());
        Assert.Equal(LoginOutcome.Succeeded, await real);
        Assert.Equal(LoginOutcome.LockedOut, users.CheckPassword(Name, Password, A, _now, limits).Outcome);
    }

    [Fact]
    public async Task Issue12_CheckPassword_ConcurrentGuessesFromManyAddresses_NoMoreAreHashedThanTheAccountCeilingAllows()
    {
        using var hasher = new GatedPasswordHasher();
        var users = new AdminUserStore(_database, hasher);
        var limits = new AdminOptions { AccountLockoutFailures = 2 };
        var guesses = new[] { A, B }.Select(address => Task.Run(() => users.CheckPassword(Name, "wrong", address, _now, limits).Outcome)).ToList();
        hasher.WaitUntilInside(2);

        Assert.Equal(LoginOutcome.Busy, await Unheld(() => users.CheckPassword(Name, Password, Address(7), _now, limits).Outcome));

        hasher.Open();
        Assert.Equal([LoginOutcome.Failed, LoginOutcome.AccountLockedOut], (await Task.WhenAll(guesses)).Order());
        Assert.Equal(LoginOutcome.AccountLockedOut, users.CheckPassword(Name, Password, Address(7), _now, limits).Outcome);
        Assert.Equal(2, hasher.Checks);
    }

    [Fact]
    public void Save_Again_ChangesTheSecurityStamp()
    {
        var before = _users.Find(Name)!.SecurityStamp;

        _users.Save(new AdminUser { Name = Name, Role = AdminRole.Worker, WorkerId = "w-wangfang" }, Password);

        Assert.NotEqual("", before);
        Assert.NotEqual(before, _users.Find(Name)!.SecurityStamp);
    }

    // An attempt that must not reach the held hasher: bounded, so that if it does the test fails instead of hanging.
    private static Task<LoginOutcome> Unheld(Func<LoginOutcome> attempt) => Task.Run(attempt).WaitAsync(TimeSpan.FromSeconds(30));

    private LoginOutcome Check(string password, string address) => _users.CheckPassword(Name, password, address, _now, Limits).Outcome;

    private static string Address(int i) => $"192.0.2.{i + 1}";
}
