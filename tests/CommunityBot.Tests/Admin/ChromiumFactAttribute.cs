namespace CommunityBot.Tests.Admin;

/// <summary>
/// A fact that runs in Debian's Chromium (<c>apt-get install -y chromium</c>, which <c>.ci/run</c> does); reported as
/// skipped with the reason where it is missing, because Playwright cannot download a browser here.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath))
        {
            Skip = $"{ChromiumPath} is missing: run `apt-get install -y chromium fonts-wqy-microhei` (as .ci/run does) for the browser tests.";
        }
    }
}
