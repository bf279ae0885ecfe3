using System.ComponentModel.DataAnnotations;
using System.Net;

namespace CommunityBot.Hosting;

/// <summary>
/// The TLS proxies in front of the server whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed:
/// from them the client's address and <c>https</c> are taken (the console's cookies are then <c>Secure</c>, and its
/// lockout counts the real client). Both empty, the default: forwarded headers are ignored from everyone.
/// </summary>
public sealed class ReverseProxyOptions : IValidatableObject
{
    public const string SectionName = "ReverseProxy";

    /// <summary>Addresses of the proxies, e.g. <c>127.0.0.1</c> for nginx on the same machine.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Address ranges of the proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool Configured => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"ReverseProxy:KnownProxies: \"{proxy}\" is not an IP address.", [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"ReverseProxy:KnownNetworks: \"{network}\" is not an address range such as 10.0.0.0/24.", [nameof(KnownNetworks)]);
        }
    }
}
