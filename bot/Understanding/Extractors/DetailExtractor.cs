using CommunityBot.Dialogs.Directory;
using CommunityBot.Dialogs.Understanding;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Recognizers.Text;

namespace CommunityBot.Understanding.Extractors;

/// <summary>
/// Reads phones, location, time, duration and counts out of a resident's message. Places are always ours (against the
/// directory); times and phones come from our rules first and from Microsoft.Recognizers.Text when those find nothing
/// (<see cref="DetailEngine.Combined"/>); durations and counts from our rules (eval/README.md has the rows that decide). Pure and thread-safe: regexes are
/// source-generated, the recognizer models are shared immutable singletons (<see cref="ChineseRecognizers"/>) and the
/// compound lookup is an immutable snapshot rebuilt only when the directory hands out a new list.
/// </summary>
public sealed partial class DetailExtractor : IDetailExtractor
{
    private const char Mask = '\u0001';
    private readonly LocationExtractor _location;
    private readonly DetailEngine _engine;
    private readonly TimeZoneInfo? _zone;
    private readonly ILogger _logger;

    /// <param name="zone">
    /// The office's time zone: the message time is read in it before "昨晚十点" is resolved (channels stamp messages in
    /// UTC). Null resolves in the offset the message time carries.
    /// </param>
    public DetailExtractor(IDirectory directory, IOptions<DetailExtractionOptions> options, TimeZoneInfo? zone = null, ILogger<DetailExtractor>? logger = null)
    {
        _location = new LocationExtractor(directory, options.Value.Landmarks ?? DetailExtractionOptions.DefaultLandmarks);
        _engine = options.Value.Engine;
        _zone = zone;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public DetailExtractor(IDirectory directory)
        : this(directory, Options.Create(new DetailExtractionOptions()))
    {
    }

    public MessageDetails Extract(string text, DateTimeOffset at) => Extract(text, at, DetailKinds.All);

    public MessageDetails Extract(string text, DateTimeOffset at, DetailKinds kinds)
    {
        if (string.IsNullOrWhiteSpace(text) || kinds == DetailKinds.None)
        {
            return MessageDetails.Empty;
        }
        if (_zone is not null)
        {
            at = TimeZoneInfo.ConvertTime(at, _zone);
        }
        var folded = TextNormalizer.Fold(text);
        var wantsPhones = kinds.HasFlag(DetailKinds.Phones);
        var phones = _engine == DetailEngine.Recognizers && wantsPhones ? RecognizePhones(folded, guarded: false) : PhoneExtractor.Extract(folded);
        if (phones.Count == 0 && wantsPhones && _engine == DetailEngine.Combined)
        {
            phones = RecognizePhones(folded, guarded: true);
        }
        // Later extractors must not read digits of a phone as a room, a time or a count.
        var masked = phones.Count == 0 ? folded : MaskSpans(folded, phones.Select(p => (p.Index, p.Index + p.Length)));

        // Counts are read on text without times and places, so "三天" or "3号楼" is never a count.
        var wantsCounts = kinds.HasFlag(DetailKinds.Counts);
        var wantsTime = kinds.HasFlag(DetailKinds.When) || kinds.HasFlag(DetailKinds.Duration) || wantsCounts;
        var location = kinds.HasFlag(DetailKinds.Location) || wantsCounts || (wantsTime && _engine == DetailEngine.Combined)
            ? _location.Extract(text, masked)
            : null;

        // The recognizer reads "3号楼" as the 3rd of the month: in the combined engine it sees the text without the place.
        List<ModelResult>? recognized = null;
        List<ModelResult> Recognized() => recognized ??= RecognizeDateTime(
            _engine == DetailEngine.Combined && location is { } place ? MaskSpans(masked, [(place.Start, place.End)]) : masked, at);

        (TimeDetail Detail, int Start, int End)? when = null;
        if (kinds.HasFlag(DetailKinds.When) || wantsCounts)
        {
            when = _engine switch
            {
                DetailEngine.Ours => TimeExtractor.Extract(text, masked, at),
                DetailEngine.Recognizers => RecognizedDateTime.Time(Recognized(), text, at, guarded: false),
                _ => TimeExtractor.Extract(text, masked, at) ?? RecognizedDateTime.Time(Recognized(), text, at, guarded: true),
            };
        }

        (TimeSpan Value, int Start, int End)? duration = null;
        if (kinds.HasFlag(DetailKinds.Duration) || wantsCounts)
        {
            duration = _engine switch
            {
                DetailEngine.Ours => DurationExtractor.Extract(masked),
                DetailEngine.Recognizers => RecognizedDateTime.Duration(Recognized()),
                _ => DurationExtractor.Extract(masked),
            };
        }

        List<CountDetail> counts = [];
        if (wantsCounts)
        {
            var spans = new List<(int, int)>(3);
            if (when is { } w) spans.Add((w.Start, w.End));
            if (duration is { } d) spans.Add((d.Start, d.End));
            if (location is { } l) spans.Add((l.Start, l.End));
            var countText = spans.Count == 0 ? masked : MaskSpans(masked, spans);
            counts = _engine == DetailEngine.Recognizers ? RecognizedCounts.Extract(text, countText) : CountExtractor.Extract(text, countText);
        }

        var result = new MessageDetails
        {
            Phones = phones.Count == 0 || !wantsPhones ? [] : phones.Select(p => p.Phone).ToArray(),
            Location = kinds.HasFlag(DetailKinds.Location) ? location?.Detail : null,
            When = kinds.HasFlag(DetailKinds.When) ? when?.Detail : null,
            Duration = kinds.HasFlag(DetailKinds.Duration) ? duration?.Value : null,
            Counts = counts,
        };
        return result.Phones.Count == 0 && result.Location is null && result.When is null && result.Duration is null && result.Counts.Count == 0
            ? MessageDetails.Empty
            : result;
    }

    // A recognizer that throws on some message must not fail the resident's turn: our own rules have already run.
    private List<ModelResult> RecognizeDateTime(string masked, DateTimeOffset at)
    {
        try
        {
            return RecognizedDateTime.Recognize(masked, at);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogRecognizerFailed(e, "datetime", masked.Length);
            return [];
        }
    }

    private List<PhoneExtractor.Match> RecognizePhones(string folded, bool guarded)
    {
        try
        {
            return RecognizedPhones.Extract(folded, guarded);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogRecognizerFailed(e, "phone", folded.Length);
            return [];
        }
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

    // The message itself is personal data: only its length is logged.
    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Recognizer} recognizer failed on a message of {Length} characters; our own rules' result stands")]
    private partial void LogRecognizerFailed(Exception exception, string recognizer, int length);
}
