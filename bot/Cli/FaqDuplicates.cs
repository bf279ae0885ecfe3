using CommunityBot.Faq;
using CommunityBot.Understanding;
using Microsoft.Extensions.Options;

namespace CommunityBot.Cli;

/// <summary>The <c>faq duplicates</c> verb: entry pairs that say nearly the same, one tab-separated line each (similarity, entry, its phrasing, entry, its phrasing).</summary>
public static class FaqDuplicates
{
    public static int Run(FaqStore store, double minSimilarity, TextWriter output, TextWriter error)
    {
        if (minSimilarity is <= 0 or > 1)
        {
            error.WriteLine("--min must be above 0 and at most 1.");
            return 2;
        }
        var entries = store.Enabled().ToDictionary(e => e.Id, StringComparer.Ordinal);
        var matcher = new FaqMatcher(Options.Create(Classifier.MatchingOptions()));
        matcher.Reload(entries.Values);
        var pairs = matcher.NearDuplicates(minSimilarity);
        foreach (var pair in pairs)
        {
            output.WriteLine($"{pair.Similarity:F3}\t{pair.EntryA}\t{OneLine(pair.PhrasingA)}\t{pair.EntryB}\t{OneLine(pair.PhrasingB)}");
        }
        error.WriteLine($"{pairs.Count} pairs of {entries.Count} enabled entries at similarity ≥ {minSimilarity:0.###}.");
        return 0;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Replace('\t', ' ');
}
