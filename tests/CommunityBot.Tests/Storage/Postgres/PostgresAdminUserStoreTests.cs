using CommunityBot.Admin;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Admin;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// The console account store contract (<see cref="AdminUserStoreContractTests"/>) on <see cref="PostgresAdminUserStore"/>,
/// the class's throw-away database emptied before each test; every store a test makes is on one data source. Then what only
/// the stored attempts promise: an attempt whose instance never reports back stops counting once it expires.
/// </summary>
[PostgresTests]
public sealed class PostgresAdminUserStoreTests(PostgresDatabase database) : AdminUserStoreContractTests, IClassFixture<PostgresDatabase>
{
    private NpgsqlDataSource? _source;

    protected override IAdminAccounts NewStore(IPasswordHasher<AdminUser>? hasher = null) => new PostgresAccounts(new PostgresAdminUserStore(_source!, hasher));

    protected override async Task ResetAsync()
    {
        _source = database.NewDataSource();
        await using var command = _source.CreateCommand("TRUNCATE admin_users, admin_login_attempts");
        await command.ExecuteNonQueryAsync();
    }

    public override async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        await base.InitializeAsync();
    }

    [PostgresFact]
    public async Task CheckPassword_AttemptsOfADeadInstance_CountUntilTheyExpire()
    {
        // The "dead" instance: its three checks never finish (the gate stays shut until the test ends).
        using var hasher = new GatedPasswordHasher();
        var dead = NewStore(hasher);
        var limits = new AdminOptions { LockoutFailures = 3 };
        var stuck = Enumerable.Range(0, 3).Select(_ => dead.CheckAsync(Name, "wrong", A, Now, limits)).ToList();
        hasher.WaitUntilInside(3);
        var alive = NewStore();

        Assert.Equal(LoginOutcome.Busy, await alive.CheckAsync(Name, Password, A, Now + PostgresAdminUserStore.AttemptExpiry - TimeSpan.FromTicks(10), limits));
        Assert.Equal(LoginOutcome.Succeeded, await alive.CheckAsync(Name, Password, A, Now + PostgresAdminUserStore.AttemptExpiry, limits));
        await using (var command = _source!.CreateCommand("SELECT count(*) FROM admin_login_attempts"))
        {
            Assert.Equal(0L, await command.ExecuteScalarAsync()); // the expired ones were deleted by that admission
        }

        hasher.Open();
        await Task.WhenAll(stuck);
    }
}
