using System.Buffers;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Faq;
using CommunityBot.Storage;
using CommunityBot.Understanding;
using CommunityBot.Understanding.Nlu;
using Microsoft.Extensions.Options;

namespace CommunityBot.Cli;

/// <summary>The <c>classify</c> verb: one message per input line in, one JSON object per line out (DESIGN.md's shape).</summary>
public static class Classifier
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(FaqStore store, TextReader input, TextWriter output, TextWriter error, bool stats, bool candidates, MessageClassifier? classifier = null)
    {
        var load = Stopwatch.StartNew();
        var entries = store.Enabled();
        var read = load.Elapsed;
        var matcher = new FaqMatcher(Options.Create(MatchingOptions()));
        matcher.Reload(entries);
        var nluOptions = NluSettings();
        var timings = stats ? new UnderstandingTimings() : null;
        var understanding = new FaqUnderstanding(matcher, store, classifier, nluOptions) { Timings = timings };
        load.Stop();

        var buffer = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(buffer, JsonOptions);
        var latencies = new List<double>();
        long readTicks = 0, writeTicks = 0;
        var gc = GcCounts.Now();
        var total = Stopwatch.StartNew();
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            var line = input.ReadLine();
            if (line is null)
            {
                break;
            }
            readTicks += Stopwatch.GetTimestamp() - started;
            started = Stopwatch.GetTimestamp();
            var understood = understanding.Understand(line);
            var ranked = candidates ? matcher.Match(line).Ranked : null;
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            started = Stopwatch.GetTimestamp();
            buffer.ResetWrittenCount();
            json.Reset();
            Write(json, understood, ranked);
            json.Flush();
            output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
            writeTicks += Stopwatch.GetTimestamp() - started;
        }
        output.Flush();
        total.Stop();

        if (stats)
        {
            var n = Math.Max(latencies.Count, 1);
            var gcUsed = GcCounts.Now() - gc;
            double Micros(long ticks) => ticks * 1e6 / Stopwatch.Frequency / n;
            error.WriteLine(
                $"classify: {entries.Count} entries ({matcher.PhrasingCount} phrasings) read in {read.TotalMilliseconds:F0} ms, indexed in {(load.Elapsed - read).TotalMilliseconds:F0} ms; " +
                $"{latencies.Count} messages in {total.Elapsed.TotalSeconds:F2} s = {latencies.Count / Math.Max(total.Elapsed.TotalSeconds, 1e-9):F0} msgs/s; " +
                $"latency p50 {Percentile(latencies, 0.50):F3} ms, p99 {Percentile(latencies, 0.99):F3} ms");
            error.WriteLine(
                $"  per message (mean): read {Micros(readTicks):F0} µs, understand {latencies.Sum() * 1000 / n:F0} µs " +
                $"(chit-chat check {Micros(timings!.ChitchatTicks):F0}, FAQ match {Micros(timings.FaqTicks):F0}, intent/category {Micros(timings.NluTicks):F0}), " +
                $"JSON out {Micros(writeTicks):F0} µs; FAQ match alone p50 {Percentile(timings.FaqMilliseconds, 0.50):F3} ms, p99 {Percentile(timings.FaqMilliseconds, 0.99):F3} ms");
            error.WriteLine(
                $"  GC: gen0 {gcUsed.Gen0}, gen1 {gcUsed.Gen1}, gen2 {gcUsed.Gen2} collections, paused {gcUsed.Pause.TotalMilliseconds:F0} ms; " +
                $"{gcUsed.Allocated / 1024.0 / n:F0} KiB allocated per message " +
                $"(FAQ match {timings.FaqBytes / 1024.0 / n:F0}, intent/category {timings.NluBytes / 1024.0 / n:F0})");
        }
        return 0;
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }

    /// <summary>
    /// The same FaqMatching settings the server reads (appsettings.json next to the executable, then environment
    /// variables such as <c>FaqMatching__AnswerThreshold</c>), so classify answers exactly as the assistant would.
    /// </summary>
    public static FaqMatchingOptions MatchingOptions()
    {
        var options = Configuration().GetSection(FaqMatchingOptions.SectionName).Get<FaqMatchingOptions>() ?? new FaqMatchingOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        return options;
    }

    /// <summary>The Nlu settings the server reads (appsettings.json, then variables such as <c>Nlu__Trainer</c>).</summary>
    public static NluOptions NluSettings()
    {
        var options = Configuration().GetSection(NluOptions.SectionName).Get<NluOptions>() ?? new NluOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        return options;
    }

    /// <summary>
    /// Loads the cached intent and category models from the data directory, training them from the shipped data
    /// first if needed (the command line waits; the server trains in the background). Warnings go to standard error.
    /// </summary>
    public static MessageClassifier LoadModels(StorageOptions storage, TextWriter error)
    {
        var options = NluSettings();
        var store = new NluModelStore(storage.DataDir, NluModelStore.DefaultShippedDir, options, new TextWriterLogger(error));
        var classifier = new MessageClassifier(options);
        try
        {
            var (intent, category) = store.LoadOrTrain();
            classifier.Use(intent, category);
        }
        catch (NluFormatException ex)
        {
            // Like the server: the intent falls back to rules and no category is given.
            error.WriteLine($"warning: the intent and category models cannot be trained ({ex.Message}); intents come from rules, categories are not given.");
        }
        return classifier;
    }

    private static IConfiguration Configuration() => CliStorage.Configuration();

    /// <summary>
    /// Writes one result: <c>{"text","intent","faq","suggestions","category","categoryScore"}</c>. <c>category</c> is
    /// the model's best grievance category for every intent but chit-chat (a FAQ question about the property is still
    /// about 物业管理, and the intake dialog may need it when the resident goes on to complain), with its probability
    /// as <c>categoryScore</c>; it is null for chit-chat and when the models cannot be trained (then the score is 0).
    /// </summary>
    public static void Write(Utf8JsonWriter json, MessageUnderstanding understood, IReadOnlyList<FaqCandidate>? ranked = null)
    {
        json.WriteStartObject();
        json.WriteString("text", understood.Text);
        json.WriteString("intent", understood.Intent.ToString().ToLowerInvariant());
        if (understood.Faq is { } faq)
        {
            json.WritePropertyName("faq");
            WriteCandidate(json, faq);
        }
        else
        {
            json.WriteNull("faq");
        }
        json.WriteStartArray("suggestions");
        foreach (var suggestion in understood.Suggestions)
        {
            WriteCandidate(json, suggestion);
        }
        json.WriteEndArray();
        if (understood.Category is { } category)
        {
            json.WriteString("category", category);
        }
        else
        {
            json.WriteNull("category");
        }
        json.WriteNumber("categoryScore", understood.CategoryScore);
        if (ranked is not null)
        {
            json.WriteStartArray("ranked");
            foreach (var candidate in ranked)
            {
                WriteCandidate(json, candidate);
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private readonly record struct GcCounts(int Gen0, int Gen1, int Gen2, TimeSpan Pause, long Allocated)
    {
        public static GcCounts Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());

        public static GcCounts operator -(GcCounts a, GcCounts b) =>
            new(a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Pause - b.Pause, a.Allocated - b.Allocated);
    }

    private static void WriteCandidate(Utf8JsonWriter json, FaqCandidate candidate)
    {
        json.WriteStartObject();
        json.WriteString("id", candidate.Id);
        json.WriteNumber("score", candidate.Score);
        json.WriteEndObject();
    }
}
