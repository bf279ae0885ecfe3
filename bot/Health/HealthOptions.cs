using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Health;

/// <summary>What <c>/healthz/ready</c> calls unhealthy.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>Not ready once the oldest undelivered reply has waited longer than this since its turn committed.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan OutboxReplyAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A channel is failing (not ready) after this many failed sends in a row; one or more is degraded.</summary>
    [Range(1, 1000)]
    public int ChannelFailures { get; set; } = 3;

    /// <summary>
    /// The store check writes at most once this often and answers from its last write in between, so probing
    /// <c>/healthz/ready</c> from the network cannot turn into a stream of writes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StoreProbeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A store read and write taking longer than this is unhealthy.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
