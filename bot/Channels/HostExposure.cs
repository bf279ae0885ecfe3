using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommunityBot.Channels;

/// <summary>
/// Whether this server can be reached from other machines, and whether a request came from this one. The channels
/// that work without credentials (Bot Framework without an app id, the local chat page) serve only requests that
/// are local on both counts, unless the operator opts in.
/// </summary>
/// <remarks>
/// <para>The binding is loopback only when every configured address is: <c>localhost</c> or a loopback IP. A host name
/// other than localhost, <c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>, a LAN address, <c>HTTP_PORTS</c>/<c>HTTPS_PORTS</c>
/// (Kestrel binds those on every interface) and Unix sockets or named pipes (the way a reverse proxy is usually
/// wired in) are not. Every source counts, even one Kestrel would override: a wrong "public" only refuses more.
/// With nothing configured Kestrel listens on http://localhost:5000, which is loopback.</para>
/// <para>A request is local when it carries no <c>Forwarded</c> or <c>X-Forwarded-For</c> header (a proxy on this machine
/// forwarding someone else) and comes from a loopback address. The forwarded-headers middleware, which only trusts
/// configured proxies, replaces the address with the client's and removes the header it used: a proxied public
/// client is then seen at its own, non-loopback address. The <c>Host</c> it asked for must name this machine too
/// (localhost or a loopback IP): a web page whose own name was re-pointed at 127.0.0.1 (DNS rebinding) can make a
/// browser here send same-origin requests, but they carry that page's host name. No address at all (the in-process test server, a Unix
/// socket or named pipe) counts as local: such a request cannot come from the network by itself, and the bindings
/// that receive it are judged by the rule above.</para>
/// </remarks>
public sealed class HostExposure
{
    public HostExposure(IOptions<ServerAddressOptions> options)
    {
        var settings = options.Value;
        var addresses = new List<string>();
        addresses.AddRange(Split(settings.Urls));
        addresses.AddRange(settings.Kestrel.Endpoints.Values.Select(e => e.Url).OfType<string>().Where(u => u.Trim().Length > 0));
        var exposed = addresses.Where(a => !IsLoopbackAddress(a)).ToList();
        exposed.AddRange(Split(settings.HttpPorts).Select(port => $"http://*:{port}"));
        exposed.AddRange(Split(settings.HttpsPorts).Select(port => $"https://*:{port}"));
        PublicAddresses = exposed;
    }

    /// <summary>The configured addresses other machines may reach; empty when the server listens on loopback only.</summary>
    public IReadOnlyList<string> PublicAddresses { get; }

    public bool IsLoopbackOnly => PublicAddresses.Count == 0;

    /// <summary>True when the server listens on loopback only and this request came from this machine, not through a proxy.</summary>
    public bool IsLocal(HttpContext http) => IsLoopbackOnly && IsLocalRequest(http);

    /// <summary>Registers the singleton (both credential-free channels use it).</summary>
    public static void Register(IServiceCollection services)
    {
        // The host's own keys live at the configuration root, not in a section of ours.
        services.AddOptions<ServerAddressOptions>().Configure<IConfiguration>((options, configuration) => configuration.Bind(options));
        services.TryAddSingleton<HostExposure>();
    }

    public static bool IsLocalRequest(HttpContext http)
    {
        var headers = http.Request.Headers;
        if (headers.ContainsKey("Forwarded") || headers.ContainsKey("X-Forwarded-For"))
        {
            return false;
        }

        if (!IsLoopbackHost(http.Request.Host))
        {
            return false;
        }

        return http.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);
    }

    /// <summary>True for a <c>Host</c> header naming this machine: localhost (or a name under .localhost) or a loopback IP.</summary>
    public static bool IsLoopbackHost(HostString host)
    {
        if (!host.HasValue)
        {
            return false;
        }

        var name = host.Host.Trim('[', ']');
        return string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>True for an address Kestrel binds to loopback only: localhost or a loopback IP literal.</summary>
    public static bool IsLoopbackAddress(string address)
    {
        BindingAddress binding;
        try
        {
            binding = BindingAddress.Parse(address.Trim());
        }
        catch (FormatException)
        {
            return false; // Kestrel refuses it at start; here it simply does not count as loopback
        }

        if (binding.IsUnixPipe || binding.IsNamedPipe)
        {
            return false;
        }

        var host = binding.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
