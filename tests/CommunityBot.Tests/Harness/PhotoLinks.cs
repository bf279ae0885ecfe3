using System.Net;
using System.Text.RegularExpressions;

namespace CommunityBot.Tests.Harness;

/// <summary>Finds our signed photo links where the bot put them (a console page, a channel's message).</summary>
public static partial class PhotoLinks
{
    /// <summary>The <c>&lt;img src&gt;</c> links to our <c>/media/</c> route on a page, decoded, in page order.</summary>
    public static IReadOnlyList<string> ImagesOn(string html) =>
        ImageSource().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["src"].Value)).ToList();

    /// <summary>True for a link of the shape we sign: {base}/media/{32 hex}?exp={digits}&amp;sig={64 hex}.</summary>
    public static bool IsOurs(string link, string baseUrl) => link.StartsWith(baseUrl, StringComparison.Ordinal) && Shape().IsMatch(link[baseUrl.Length..]);

    [GeneratedRegex("""<img src="(?<src>/media/[0-9a-f]{32}\?exp=[0-9]+&amp;sig=[0-9a-f]{64})" """)]
    private static partial Regex ImageSource();

    [GeneratedRegex("^/media/[0-9a-f]{32}\\?exp=[0-9]+&sig=[0-9a-f]{64}$")]
    private static partial Regex Shape();
}
