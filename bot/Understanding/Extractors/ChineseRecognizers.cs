using System.Diagnostics;
using Microsoft.Recognizers.Text;
using Microsoft.Recognizers.Text.DateTime;
using Microsoft.Recognizers.Text.Number;
using Microsoft.Recognizers.Text.Sequence;

namespace CommunityBot.Understanding.Extractors;

/// <summary>
/// The zh-CN models of Microsoft.Recognizers.Text, built once per process. Building the date-time model compiles
/// hundreds of regexes (≈0.5 s here) and its first parse warms them (≈0.1 s), so no caller constructs a recognizer per
/// message; <see cref="WarmUp"/> lets the host pay that before the first resident does. The models hold no per-call
/// state, so one instance serves every thread.
/// </summary>
public static class ChineseRecognizers
{
    private static readonly Lazy<DateTimeModel> DateTimeModelLazy = new(() => Timed(
        () => new DateTimeRecognizer(Culture.Chinese, DateTimeOptions.None).GetDateTimeModel(), ref _dateTimeBuild));
    private static readonly Lazy<IModel> PhoneModel = new(() => Timed<IModel>(
        () => new SequenceRecognizer(Culture.Chinese).GetPhoneNumberModel(), ref _phoneBuild));
    private static readonly Lazy<IModel> NumberModel = new(() => Timed<IModel>(
        () => new NumberRecognizer(Culture.Chinese).GetNumberModel(), ref _numberBuild));

    private static long _dateTimeBuild;
    private static long _phoneBuild;
    private static long _numberBuild;

    /// <summary>datetimeV2: dates, times, ranges, sets and durations.</summary>
    public static DateTimeModel DateTime => DateTimeModelLazy.Value;

    /// <summary>Phone numbers (Sequence).</summary>
    public static IModel Phone => PhoneModel.Value;

    /// <summary>Numbers (used by the evaluation only: our own parser is kept for counts, see eval/README.md).</summary>
    public static IModel Number => NumberModel.Value;

    /// <summary>How long building each model took in this process (zero for one not built yet).</summary>
    public static (TimeSpan DateTime, TimeSpan Phone, TimeSpan Number) BuildTimes =>
        (Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _dateTimeBuild)),
         Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _phoneBuild)),
         Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _numberBuild)));

    /// <summary>Builds the models the shipped extractor uses and runs one parse through each, so their regexes are compiled.</summary>
    public static void WarmUp()
    {
        DateTime.Parse("昨晚十点", new System.DateTime(2025, 11, 26, 15, 0, 0));
        Phone.Parse("13812345678");
    }

    private static T Timed<T>(Func<T> build, ref long elapsed)
    {
        var started = Stopwatch.GetTimestamp();
        var model = build();
        Interlocked.Exchange(ref elapsed, Stopwatch.GetTimestamp() - started);
        return model;
    }
}
