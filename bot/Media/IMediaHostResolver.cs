using System.Net;

namespace CommunityBot.Media;

/// <summary>Host name to addresses, for the photo fetcher's address checks (DNS in production; tests stand in without a network).</summary>
public interface IMediaHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
