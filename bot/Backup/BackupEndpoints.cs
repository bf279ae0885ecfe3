using System.Net;
using System.Security.Cryptography;
using System.Text;
using CommunityBot.Channels;
using CommunityBot.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CommunityBot.Backup;

/// <summary>
/// <c>POST /ops/backup</c>: a consistent copy of the running store, streamed to the CLI's <c>backup FILE</c>. Only from
/// this machine (loopback, or the server's own address; never through a proxy) and only with the token of
/// <see cref="ServerControlFile"/>; anyone else gets 404, so the endpoint is not even admitted.
/// </summary>
public static partial class BackupEndpoints
{
    public const string BackupPath = "/ops/backup";

    public static WebApplication MapBackupEndpoints(this WebApplication app)
    {
        var token = app.Services.GetRequiredService<ControlToken>().Value;
        app.MapPost(BackupPath, BackupAsync).ExcludeFromDescription();

        var dataDir = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.DataDir;
        var lifetime = app.Lifetime;
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            try
            {
                new ServerControlFile(LocalUrl(addresses), token, Environment.ProcessId).Write(dataDir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The server works on; only `backup` while it runs cannot find it.
                LogControlFileFailed(app.Logger, ServerControlFile.PathIn(dataDir), ex);
            }
        });
        lifetime.ApplicationStopping.Register(() => ServerControlFile.Remove(dataDir, token));
        return app;
    }

    private static async Task<IResult> BackupAsync(HttpContext http, ControlToken token, StoreBackupService backups, IOptions<StorageOptions> storage, ILoggerFactory loggers)
    {
        if (!FromThisMachine(http) || !HasToken(http, token.Value))
        {
            return TypedResults.NotFound();
        }

        var temp = Path.Combine(Path.GetFullPath(storage.Value.DataDir), $".backup-{Guid.NewGuid():N}.db");
        BackupResult? result;
        try
        {
            result = await backups.TryBackupAsync(temp, http.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(loggers.CreateLogger(typeof(BackupEndpoints)), ex);
            return TypedResults.Problem("The backup failed; the server's log has the cause.", statusCode: StatusCodes.Status500InternalServerError);
        }

        if (result is null)
        {
            return TypedResults.Problem("Another backup is running; try again when it has finished.", statusCode: StatusCodes.Status409Conflict);
        }

        http.Response.Headers["X-Backup-Schema-Version"] = result.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Deleted when the response is done with it (also when the client goes away).
        var file = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 20, FileOptions.DeleteOnClose | FileOptions.SequentialScan);
        return TypedResults.Stream(file, "application/octet-stream");
    }

    private static bool HasToken(HttpContext http, string token) =>
        http.Request.Headers.Authorization.ToString() is { } header
        && header.StartsWith("Bearer ", StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..]), Encoding.UTF8.GetBytes(token));

    // Loopback, or a connection to one of this machine's own addresses from that same address (a server bound to a LAN
    // address only); never a forwarded request.
    private static bool FromThisMachine(HttpContext http) =>
        HostExposure.IsLocalRequest(http)
        || (http.Connection.RemoteIpAddress is { } remote && remote.Equals(http.Connection.LocalIpAddress)
            && !http.Request.Headers.ContainsKey("Forwarded") && !http.Request.Headers.ContainsKey("X-Forwarded-For"));

    /// <summary>The address the CLI calls: http before https, a wildcard binding as loopback.</summary>
    public static string? LocalUrl(IEnumerable<string> addresses)
    {
        var candidates = addresses.Select(a => Uri.TryCreate(a.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .OrderBy(u => u.Scheme == Uri.UriSchemeHttp ? 0 : 1)
            .ToList();
        foreach (var uri in candidates)
        {
            var host = uri.Host.Trim('[', ']');
            var builder = new UriBuilder(uri) { Path = "" };
            if (host is "0.0.0.0" or "::" || uri.IsLoopback)
            {
                builder.Host = "127.0.0.1";
                if (host == "::1")
                {
                    builder.Host = "[::1]";
                }
            }
            else if (!IPAddress.TryParse(host, out _))
            {
                continue; // a host name: not necessarily this machine's
            }

            return builder.Uri.GetLeftPart(UriPartial.Authority);
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Path}: the backup command cannot reach this server while it runs")]
    private static partial void LogControlFileFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A backup requested through the server failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
