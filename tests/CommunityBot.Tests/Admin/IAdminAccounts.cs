using CommunityBot.Admin;

namespace CommunityBot.Tests.Admin;

/// <summary>
/// One console account store as the contract tests drive it (<see cref="AdminUserStoreContractTests"/>): LiteDB's
/// <see cref="AdminUserStore"/> or PostgreSQL's <see cref="CommunityBot.Storage.Postgres.PostgresAdminUserStore"/>, one instance.
/// </summary>
public interface IAdminAccounts
{
    Task SaveAsync(AdminUser user, string password);

    Task<AdminUser?> FindAsync(string name);

    Task<int> CountAsync();

    Task<IReadOnlyList<AdminUser>> AllAsync();

    /// <summary>The store's password check, run on a thread of its own (a held hasher blocks only that attempt).</summary>
    Task<LoginOutcome> CheckAsync(string name, string password, string address, DateTime now, AdminOptions limits);

    Task<bool> IsSessionCurrentAsync(string name, string stamp);
}
