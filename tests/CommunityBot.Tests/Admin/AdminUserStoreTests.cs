using CommunityBot.Admin;
using LiteDB;
using Microsoft.AspNetCore.Identity;

namespace CommunityBot.Tests.Admin;

/// <summary>
/// The console account store contract (<see cref="AdminUserStoreContractTests"/>) on LiteDB's <see cref="AdminUserStore"/>:
/// an in-memory LiteDB per test, which every store a test makes shares.
/// </summary>
public sealed class AdminUserStoreTests : AdminUserStoreContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());

    protected override IAdminAccounts NewStore(IPasswordHasher<AdminUser>? hasher = null) => new Accounts(new AdminUserStore(_database, hasher));

    protected override Task ResetAsync() => Task.CompletedTask;

    public override Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    private sealed class Accounts(AdminUserStore store) : IAdminAccounts
    {
        public Task SaveAsync(AdminUser user, string password)
        {
            store.Save(user, password);
            return Task.CompletedTask;
        }

        public Task<AdminUser?> FindAsync(string name) => Task.FromResult(store.Find(name));

        public Task<int> CountAsync() => Task.FromResult(store.Count());

        public Task<IReadOnlyList<AdminUser>> AllAsync() => Task.FromResult(store.All());

        public Task<LoginOutcome> CheckAsync(string name, string password, string address, DateTime now, AdminOptions limits) =>
            Task.Run(() => store.CheckPassword(name, password, address, now, limits).Outcome);

        public Task<bool> IsSessionCurrentAsync(string name, string stamp) => Task.FromResult(store.IsSessionCurrent(name, stamp));
    }
}
