using CommunityBot.Admin;
using CommunityBot.Tests.Harness;
using Microsoft.AspNetCore.Identity;

namespace CommunityBot.Tests.Admin;

/// <summary>
/// What every console account store promises (<see cref="AdminUserStoreTests"/> on LiteDB,
/// <see cref="Storage.Postgres.PostgresAdminUserStoreTests"/> on PostgreSQL): accounts found whatever the case of the name,
/// sign-in failures counted per account and client address, so an attacker cannot lock the real user out, with a much
/// higher ceiling per account across addresses against password spraying; concurrent guesses never checked more often
/// than the lockout allows; a Save that clears the locks and ends every session. Each concrete class starts every test on
/// an empty store.
/// </summary>
public abstract class AdminUserStoreContractTests : IAsyncLifetime
{
    protected const string Name = "boss";
    protected const string Password = "correct-horse-1";
    protected const string A = "203.0.113.7";
    protected const string B = "198.51.100.20";

    private static readonly AdminOptions Limits = new();

    private IAdminAccounts _users = null!;

    protected DateTime Now { get; set; } = new(2026, 11, 24, 2, 0, 0, DateTimeKind.Utc);

    /// <summary>A store over the class's storage (every store made in one test shares it), checking with <paramref name="hasher"/>.</summary>
    protected abstract IAdminAccounts NewStore(IPasswordHasher<AdminUser>? hasher = null);

    /// <summary>Empties the storage; called before each test.</summary>
    protected abstract Task ResetAsync();

    public virtual async Task InitializeAsync()
    {
        await ResetAsync();
        _users = NewStore();
        await _users.SaveAsync(new AdminUser { Name = Name, Role = AdminRole.Admin, CreatedAt = Now }, Password);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [ContractFact]
    public async Task Save_ThenFind_ReadsBackEveryField_WhateverTheCaseOfTheName()
    {
        await _users.SaveAsync(new AdminUser { Name = "Wang", Role = AdminRole.Worker, CommunityId = "c1", WorkerId = "w-wangfang", CreatedAt = Now }, "another-pass-2");

        var found = await _users.FindAsync("WANG");

        Assert.NotNull(found);
        Assert.Equal(("Wang", AdminRole.Worker, "c1", "w-wangfang", Now), (found.Name, found.Role, found.CommunityId, found.WorkerId, found.CreatedAt.ToUniversalTime()));
        Assert.NotEqual("another-pass-2", found.PasswordHash);
        Assert.NotEqual("", found.SecurityStamp);
        Assert.Null(await _users.FindAsync("wan"));
        Assert.Equal(2, await _users.CountAsync());
        Assert.Equal(["Wang", "boss"], (await _users.AllAsync()).Select(u => u.Name));
        Assert.Equal(LoginOutcome.Succeeded, await _users.CheckAsync("wang", "another-pass-2", A, Now, Limits));
    }

    [ContractFact]
    public async Task CheckPassword_UnknownName_FailsLikeAWrongPassword()
    {
        Assert.Equal(LoginOutcome.Failed, await Check("wrong", A, name: "nobody"));
        Assert.Equal(LoginOutcome.Failed, await Check(Password, A, name: ""));
        Assert.Equal(1, await _users.CountAsync());
    }

    [ContractFact]
    public async Task CheckPassword_FiveFailuresFromA_LockAButNotB()
    {
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(LoginOutcome.Failed, await Check("wrong", A));
        }

        Assert.Equal(LoginOutcome.LockedOut, await Check("wrong", A));
        Assert.Equal(LoginOutcome.LockedOut, await Check(Password, A));
        Assert.Equal(LoginOutcome.Succeeded, await Check(Password, B));

        Now += TimeSpan.FromMinutes(15);
        Assert.Equal(LoginOutcome.Succeeded, await Check(Password, A));
    }

    [ContractFact]
    public async Task CheckPassword_FiftyFailuresAcrossAddresses_LockTheAccountForEveryoneForTheDuration()
    {
        for (var i = 0; i < 49; i++)
        {
            Assert.Equal(LoginOutcome.Failed, await Check("wrong", Address(i / 4))); // four per address: no address lock
            Now += TimeSpan.FromSeconds(10);
        }

        Assert.Equal(LoginOutcome.AccountLockedOut, await Check("wrong", Address(99)));
        Assert.Equal(LoginOutcome.AccountLockedOut, await Check(Password, B));

        Now += TimeSpan.FromMinutes(14);
        Assert.Equal(LoginOutcome.AccountLockedOut, await Check(Password, B));
        Now += TimeSpan.FromMinutes(1);
        Assert.Equal(LoginOutcome.Succeeded, await Check(Password, B));
    }

    [ContractFact]
    public async Task CheckPassword_FailuresSpreadOverMoreThanTheWindow_DoNotReachTheCeiling()
    {
        for (var i = 0; i < 49; i++)
        {
            await Check("wrong", Address(i / 4));
        }

        Now += TimeSpan.FromMinutes(16);
        Assert.Equal(LoginOutcome.Failed, await Check("wrong", Address(99)));

        // What no longer counts is dropped, so many addresses do not grow the account's record for ever.
        var user = (await _users.FindAsync(Name))!;
        Assert.Single(user.RecentFailures);
        Assert.Equal([Address(99)], user.FailuresByAddress.Select(f => f.Address));
    }

    [ContractFact]
    public async Task CheckPassword_Success_ResetsItsOwnAddressesCountOnly()
    {
        for (var i = 0; i < 4; i++)
        {
            await Check("wrong", A);
            await Check("wrong", B);
        }

        Assert.Equal(LoginOutcome.Succeeded, await Check(Password, A));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(LoginOutcome.Failed, await Check("wrong", A));
        }
        Assert.Equal(LoginOutcome.LockedOut, await Check("wrong", B));
        Assert.Equal(LoginOutcome.LockedOut, await Check("wrong", A));
    }

    [ContractFact]
    public async Task Save_AgainForALockedAccount_ClearsEveryLock()
    {
        for (var i = 0; i < 50; i++)
        {
            await Check("wrong", Address(i));
        }
        Assert.Equal(LoginOutcome.AccountLockedOut, await Check(Password, A));

        await _users.SaveAsync((await _users.FindAsync(Name))!, Password);

        Assert.Equal(LoginOutcome.Succeeded, await Check(Password, A));
    }

    [ContractFact]
    public async Task Save_Again_ChangesTheSecurityStamp_AndEndsTheSessionsSignedInBefore()
    {
        var before = (await _users.FindAsync(Name))!.SecurityStamp;
        Assert.True(await _users.IsSessionCurrentAsync(Name, before));

        await _users.SaveAsync(new AdminUser { Name = Name, Role = AdminRole.Worker, WorkerId = "w-wangfang" }, Password);

        var after = (await _users.FindAsync(Name))!.SecurityStamp;
        Assert.NotEqual("", before);
        Assert.NotEqual(before, after);
        Assert.False(await _users.IsSessionCurrentAsync(Name, before));
        Assert.True(await _users.IsSessionCurrentAsync(Name, after));
        Assert.False(await _users.IsSessionCurrentAsync("nobody", after));
    }

    [ContractFact]
    public async Task Issue12_CheckPassword_ConcurrentGuessesFromOneAddress_NoMoreAreHashedThanTheLockoutAllows()
    {
        using var hasher = new GatedPasswordHasher();
        var users = NewStore(hasher);
        var limits = new AdminOptions { LockoutFailures = 3 };
        var guesses = Enumerable.Range(0, 3).Select(_ => users.CheckAsync(Name, "wrong", A, Now, limits)).ToList();
        hasher.WaitUntilInside(3); // hashed side by side, not one after another under a lock

        // Three guesses from A are being checked: if they fail, A is locked, so a fourth is not even hashed.
        Assert.Equal(LoginOutcome.Busy, await Unheld(users.CheckAsync(Name, Password, A, Now, limits)));
        Assert.Equal(3, hasher.Checks);
        // The real user elsewhere is checked as usual.
        var real = users.CheckAsync(Name, Password, B, Now, limits);
        hasher.WaitUntilInside(1);

        hasher.Open();
        Assert.Equal([LoginOutcome.Failed, LoginOutcome.Failed, LoginOutcome.LockedOut], (await Task.WhenAll(guesses)).Order());
        Assert.Equal(LoginOutcome.Succeeded, await real);
        Assert.Equal(LoginOutcome.LockedOut, await users.CheckAsync(Name, Password, A, Now, limits));
    }

    [ContractFact]
    public async Task Issue12_CheckPassword_ConcurrentGuessesFromManyAddresses_NoMoreAreHashedThanTheAccountCeilingAllows()
    {
        using var hasher = new GatedPasswordHasher();
        var users = NewStore(hasher);
        var limits = new AdminOptions { AccountLockoutFailures = 2 };
        var guesses = new[] { A, B }.Select(address => users.CheckAsync(Name, "wrong", address, Now, limits)).ToList();
        hasher.WaitUntilInside(2);

        Assert.Equal(LoginOutcome.Busy, await Unheld(users.CheckAsync(Name, Password, Address(7), Now, limits)));

        hasher.Open();
        Assert.Equal([LoginOutcome.Failed, LoginOutcome.AccountLockedOut], (await Task.WhenAll(guesses)).Order());
        Assert.Equal(LoginOutcome.AccountLockedOut, await users.CheckAsync(Name, Password, Address(7), Now, limits));
        Assert.Equal(2, hasher.Checks);
    }

    [ContractFact]
    public async Task CheckPassword_SaveWhileTheRightPasswordIsBeingChecked_FailsIt()
    {
        using var hasher = new GatedPasswordHasher();
        var users = NewStore(hasher);
        var attempt = users.CheckAsync(Name, Password, A, Now, Limits);
        hasher.WaitUntilInside(1);

        await _users.SaveAsync(new AdminUser { Name = Name, Role = AdminRole.Admin }, "a-new-password-3");
        hasher.Open();

        Assert.Equal(LoginOutcome.Failed, await attempt);
        Assert.Equal(LoginOutcome.Succeeded, await _users.CheckAsync(Name, "a-new-password-3", A, Now, Limits));
    }

    // An attempt that must not reach the held hasher: bounded, so that if it does the test fails instead of hanging.
    protected static Task<LoginOutcome> Unheld(Task<LoginOutcome> attempt) => attempt.WaitAsync(TimeSpan.FromSeconds(30));

    protected static string Address(int i) => $"192.0.2.{i + 1}";

    private Task<LoginOutcome> Check(string password, string address, string name = Name) => _users.CheckAsync(name, password, address, Now, Limits);
}
