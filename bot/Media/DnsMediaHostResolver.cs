using System.Net;

namespace CommunityBot.Media;

/// <summary>The system resolver.</summary>
public sealed class DnsMediaHostResolver : IMediaHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}
