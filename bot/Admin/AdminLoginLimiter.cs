using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CommunityBot.Admin;

/// <summary>
/// The rate limiter policy of the sign-in POST: at most <see cref="AdminOptions.LoginConcurrency"/> passwords are
/// hashed at once across all clients (the hash is the expensive part, and a flood of sign-ins must not take every core),
/// <see cref="AdminOptions.LoginQueue"/> more wait, and the rest get the login page with 503 and <c>Retry-After</c>.
/// </summary>
public sealed class AdminLoginLimiter(IOptions<AdminOptions> options) : IRateLimiterPolicy<string>
{
    public const string PolicyName = "AdminLogin";

    /// <summary>Seconds a refused client is told to wait: a queue's worth of hashes is well under that.</summary>
    public const int RetryAfterSeconds = 2;

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    // One partition for everyone: the limit is on the server's work, not on a client.
    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetConcurrencyLimiter("login", _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.LoginConcurrency,
            QueueLimit = options.Value.LoginQueue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken) =>
        await AdminLoginEndpoints.TryLaterPage(context.HttpContext, StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context.HttpContext);
}
