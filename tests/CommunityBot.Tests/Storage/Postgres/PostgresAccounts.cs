using CommunityBot.Admin;
using CommunityBot.Storage.Postgres;
using CommunityBot.Tests.Admin;

namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>A <see cref="PostgresAdminUserStore"/> as the account tests drive it: one instance's store.</summary>
public sealed class PostgresAccounts(PostgresAdminUserStore store) : IAdminAccounts
{
    public Task SaveAsync(AdminUser user, string password) => store.SaveAsync(user, password, CancellationToken.None);

    public Task<AdminUser?> FindAsync(string name) => store.FindAsync(name, CancellationToken.None);

    public Task<int> CountAsync() => store.CountAsync(CancellationToken.None);

    public Task<IReadOnlyList<AdminUser>> AllAsync() => store.AllAsync(CancellationToken.None);

    public Task<LoginOutcome> CheckAsync(string name, string password, string address, DateTime now, AdminOptions limits) =>
        Task.Run(async () => (await store.CheckPasswordAsync(name, password, address, now, limits, CancellationToken.None)).Outcome);

    public Task<bool> IsSessionCurrentAsync(string name, string stamp) => store.IsSessionCurrentAsync(name, stamp, CancellationToken.None);
}
