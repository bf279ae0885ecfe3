using System.Collections.Concurrent;
using System.Net;
using CommunityBot.Media;

namespace CommunityBot.Tests.Harness;

/// <summary>DNS for the photo fetcher without a network: a public address for every host unless a test says otherwise.</summary>
public sealed class FakeHostResolver : IMediaHostResolver
{
    /// <summary>A public address (not in any reserved block), what every host resolves to by default.</summary>
    public static readonly IPAddress PublicAddress = IPAddress.Parse("93.184.216.34");

    private readonly ConcurrentDictionary<string, IPAddress[]> _hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Makes <paramref name="host"/> resolve to <paramref name="addresses"/> (none: the name does not exist).</summary>
    public FakeHostResolver Resolve(string host, params string[] addresses)
    {
        _hosts[host] = addresses.Select(IPAddress.Parse).ToArray();
        return this;
    }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        _hosts.TryGetValue(host, out var addresses)
            ? addresses.Length == 0 ? Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException(11001)) : Task.FromResult(addresses)
            : Task.FromResult<IPAddress[]>([PublicAddress]);
}
