namespace CommunityBot.Tests.Channels.WeCom;

/// <summary>
/// A fact that runs only when the official <c>@wecom/crypto</c> package is installed
/// (<c>cd tests/wecom-interop &amp;&amp; npm ci</c>) and <c>node</c> is on the PATH; otherwise it is reported as skipped with the reason.
/// </summary>
public sealed class WeComInteropFactAttribute : FactAttribute
{
    public WeComInteropFactAttribute()
    {
        if (InteropDirectory is null)
        {
            Skip = "tests/wecom-interop/node_modules/@wecom/crypto is missing: run `(cd tests/wecom-interop && npm ci)` to cross-check against Tencent's package.";
        }
        else if (NodePath is null)
        {
            Skip = "node is not on the PATH: the @wecom/crypto cross-check needs Node.js.";
        }
    }

    /// <summary>tests/wecom-interop when its node_modules holds @wecom/crypto, else null.</summary>
    public static string? InteropDirectory { get; } = FindInteropDirectory();

    public static string? NodePath { get; } = FindOnPath("node");

    private static string? FindInteropDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CommunityBot.sln")))
            {
                var interop = Path.Combine(dir.FullName, "tests", "wecom-interop");
                return System.IO.Directory.Exists(Path.Combine(interop, "node_modules", "@wecom", "crypto")) ? interop : null;
            }
        }

        return null;
    }

    private static string? FindOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? program + ".exe" : program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
