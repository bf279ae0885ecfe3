using CommunityBot.Dialogs.Directory;
using CommunityBot.Dialogs.Understanding;
using Microsoft.Extensions.Options;

namespace CommunityBot.Understanding.Extractors;

/// <summary>
/// Reads phones, location, time, duration and counts out of a resident's message. Pure and thread-safe:
/// regexes are source-generated and the compound lookup is an immutable snapshot rebuilt only when the
/// directory hands out a new list.
/// </summary>
public sealed class DetailExtractor : IDetailExtractor
{
    private const char Mask = '\u0001';
    private readonly LocationExtractor _location;

    public DetailExtractor(IDirectory directory, IOptions<DetailExtractionOptions> options)
    {
        _location = new LocationExtractor(directory, options.Value.Landmarks ?? DetailExtractionOptions.DefaultLandmarks);
    }

    public DetailExtractor(IDirectory directory)
        : this(directory, Options.Create(new DetailExtractionOptions()))
    {
    }

    public MessageDetails Extract(string text, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return MessageDetails.Empty;
        }
        var folded = TextNormalizer.Fold(text);
        var phones = PhoneExtractor.Extract(folded);
        // Later extractors must not read digits of a phone as a room or a count.
        var masked = phones.Count == 0 ? folded : MaskSpans(folded, phones.Select(p => (p.Index, p.Index + p.Length)));

        var when = TimeExtractor.Extract(text, masked, at);
        var duration = DurationExtractor.Extract(masked);
        var location = _location.Extract(text, masked);

        var spans = new List<(int, int)>(3);
        if (when is { } w) spans.Add((w.Start, w.End));
        if (duration is { } d) spans.Add((d.Start, d.End));
        if (location is { } l) spans.Add((l.Start, l.End));
        var counts = CountExtractor.Extract(text, spans.Count == 0 ? masked : MaskSpans(masked, spans));

        if (phones.Count == 0 && when is null && duration is null && location is null && counts.Count == 0)
        {
            return MessageDetails.Empty;
        }
        return new MessageDetails
        {
            Phones = phones.Count == 0 ? [] : phones.Select(p => p.Phone).ToArray(),
            Location = location?.Detail,
            When = when?.Detail,
            Duration = duration?.Value,
            Counts = counts,
        };
    }

    private static string MaskSpans(string text, IEnumerable<(int Start, int End)> spans)
    {
        var chars = text.ToCharArray();
        foreach (var (start, end) in spans)
        {
            chars.AsSpan(start, end - start).Fill(Mask);
        }
        return new string(chars);
    }
}
