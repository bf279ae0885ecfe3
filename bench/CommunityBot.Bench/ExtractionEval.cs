using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using CommunityBot.Dialogs.Directory;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Tests.Understanding.Extractors;
using CommunityBot.Understanding.Extractors;
using Microsoft.Extensions.Options;
using Xunit;

namespace CommunityBot.Bench;

/// <summary>
/// Issue 13 item 4: the extractor table tests run against each <see cref="DetailEngine"/> (the test methods themselves,
/// with their <c>_extractor</c> swapped), the number parser's rows against the recognizer's number model, the models'
/// first-call cost, and µs per message on a message mix. See eval/extraction-eval.sh.
/// </summary>
public static class ExtractionEval
{
    private static readonly DateTimeOffset Now = new(2025, 11, 26, 15, 0, 0, TimeSpan.FromHours(8));
    private static readonly DetailEngine[] Engines = [DetailEngine.Ours, DetailEngine.Recognizers, DetailEngine.Combined];

    public static int Run(Dictionary<string, string> options)
    {
        // First: the models' cost in a process that has not built them yet.
        FirstCall();

        var rows = TableRows().ToList();
        var results = rows.Select(r => (Row: r, Passed: Engines.Select(r.Run).ToArray())).ToList();
        Console.WriteLine();
        Console.WriteLine("## Table tests (rows passed)");
        Console.WriteLine();
        Console.WriteLine("| test | rows | ours | recognizers | combined (shipped) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var group in results.GroupBy(r => r.Row.Test))
        {
            var n = group.Count();
            Console.WriteLine($"| {group.Key} | {n} | " + string.Join(" | ", Engines.Select((_, i) => group.Count(g => g.Passed[i]).ToString(CultureInfo.InvariantCulture))) + " |");
        }
        Console.WriteLine($"| all | {results.Count} | " + string.Join(" | ", Engines.Select((_, i) => results.Count(g => g.Passed[i]).ToString(CultureInfo.InvariantCulture))) + " |");

        Console.WriteLine();
        Console.WriteLine("## Rows where the engines differ, or all fail (✓ passes, ✗ fails)");
        Console.WriteLine();
        Console.WriteLine("| test | row | ours | recognizers | combined |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (row, passed) in results.Where(r => r.Passed.Distinct().Count() > 1 || !r.Passed[0]))
        {
            Console.WriteLine($"| {row.Test} | {row.Label} | " + string.Join(" | ", passed.Select(p => p ? "✓" : "✗")) + " |");
        }

        NumberRows();
        Speed(options);
        return 0;
    }

    // The tests' own four-compound directory (internal to the test assembly).
    private static readonly IDirectory Directory = (IDirectory)typeof(TimeExtractorTests).Assembly
        .GetType("CommunityBot.Tests.Understanding.Extractors.FakeDirectory", throwOnError: true)!
        .GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    private static readonly TimeZoneInfo Beijing =
        TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");

    // The speed runs read message times in the office's zone, as the host registers the extractor.
    private static DetailExtractor Extractor(DetailEngine engine, TimeZoneInfo? zone) =>
        new(Directory, Options.Create(new DetailExtractionOptions { Engine = engine }), zone);

    private static void FirstCall()
    {
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var rssBefore = Environment.WorkingSet;
        var started = Stopwatch.GetTimestamp();
        var model = ChineseRecognizers.DateTime;
        var built = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        model.Parse("昨晚十点", Now.DateTime);
        var firstParse = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        model.Parse("上周三下午三点半", Now.DateTime);
        var secondParse = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        var phone = ChineseRecognizers.Phone;
        var phoneBuilt = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        phone.Parse("13812345678");
        var phoneFirst = Stopwatch.GetElapsedTime(started);
        var memory = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine("## First call (this process)");
        Console.WriteLine();
        Console.WriteLine($"- DateTimeRecognizer(Culture.Chinese).GetDateTimeModel(): {built.TotalMilliseconds:F0} ms; first parse {firstParse.TotalMilliseconds:F0} ms; a second, different parse {secondParse.TotalMilliseconds:F1} ms");
        Console.WriteLine($"- SequenceRecognizer phone model: {phoneBuilt.TotalMilliseconds:F0} ms; first parse {phoneFirst.TotalMilliseconds:F0} ms");
        Console.WriteLine($"- managed heap {heapBefore / 1048576.0:F1} → {memory / 1048576.0:F1} MiB, working set {rssBefore / 1048576.0:F0} → {Environment.WorkingSet / 1048576.0:F0} MiB across both");
    }

    /// <summary>A row of a table test: its test, a label, and how to run it with an engine.</summary>
    private sealed record Row(string Test, string Label, Func<DetailEngine, bool> Run);

    private static IEnumerable<Row> TableRows()
    {
        var field = (Type t) => t.GetField("_extractor", BindingFlags.Instance | BindingFlags.NonPublic);
        var classes = typeof(TimeExtractorTests).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(TimeExtractorTests).Namespace && t.IsClass && !t.IsAbstract && field(t)?.FieldType == typeof(DetailExtractor))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
        foreach (var type in classes)
        {
            foreach (var method in type.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly))
            {
                var inline = method.GetCustomAttributes<InlineDataAttribute>().ToList();
                if (inline.Count == 0 && method.GetCustomAttribute<FactAttribute>() is null)
                {
                    continue;
                }
                var rows = inline.Count == 0 ? [[]] : inline.SelectMany(a => a.GetData(method)).ToList();
                foreach (var args in rows)
                {
                    var label = method.Name + (args.Length == 0 ? "" : " " + string.Join(", ", args.Select(a => a is string s ? "\"" + s + "\"" : Convert.ToString(a, CultureInfo.InvariantCulture))));
                    yield return new Row(type.Name, label.Replace("|", "\\|", StringComparison.Ordinal), engine =>
                    {
                        // Only the engine changes: the test's own extractor keeps its time zone (none, or the office's).
                        var test = Activator.CreateInstance(type)!;
                        var own = (DetailExtractor)field(type)!.GetValue(test)!;
                        var zone = (TimeZoneInfo?)typeof(DetailExtractor).GetField("_zone", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(own);
                        field(type)!.SetValue(test, Extractor(engine, zone));
                        try
                        {
                            var result = method.Invoke(test, args);
                            (result as Task)?.GetAwaiter().GetResult();
                            return true;
                        }
                        catch (TargetInvocationException)
                        {
                            return false;
                        }
                    });
                }
            }
        }
    }

    // ChineseNumberTests call the parser directly; the recognizer's number model gets the same rows here.
    private static void NumberRows()
    {
        var type = typeof(ChineseNumberTests);
        int total = 0, ours = 0, recognizer = 0;
        var failed = new List<string>();
        foreach (var method in type.GetMethods().Where(m => m.GetCustomAttributes<InlineDataAttribute>().Any()))
        {
            foreach (var args in method.GetCustomAttributes<InlineDataAttribute>().SelectMany(a => a.GetData(method)))
            {
                total++;
                var text = (string)args[0];
                var test = Activator.CreateInstance(type)!;
                try
                {
                    method.Invoke(test, args);
                    ours++;
                }
                catch (TargetInvocationException)
                {
                }
                var whole = ChineseRecognizers.Number.Parse(text).Where(r => r.Start == text.Length - text.TrimStart().Length && r.End + 1 == text.TrimEnd().Length)
                    .Select(r => decimal.TryParse(r.Resolution?.GetValueOrDefault("value") as string, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (decimal?)null)
                    .FirstOrDefault();
                var ok = method.Name switch
                {
                    nameof(ChineseNumberTests.Parse_NotANumber_ReturnsNull) => whole is null,
                    nameof(ChineseNumberTests.ParseInt_Fraction_ReturnsNull) => false,
                    _ => whole == Convert.ToDecimal(args[1], CultureInfo.InvariantCulture),
                };
                if (ok)
                {
                    recognizer++;
                }
                else
                {
                    failed.Add($"{method.Name} \"{text}\" → {(whole?.ToString(CultureInfo.InvariantCulture) ?? "none")}");
                }
            }
        }
        Console.WriteLine();
        Console.WriteLine($"## Number parsing (ChineseNumberTests rows, the whole text as one number): ours {ours}/{total}, NumberRecognizer {recognizer}/{total}");
        Console.WriteLine();
        foreach (var f in failed)
        {
            Console.WriteLine("- recognizer fails: " + f);
        }
    }

    private static void Speed(Dictionary<string, string> options)
    {
        var messages = new List<string>();
        if (options.GetValueOrDefault("messages") is { } path)
        {
            // grievance-categories/train.csv: text,label — real residents' complaint titles.
            messages.AddRange(File.ReadLines(path).Skip(1).Select(l => l[..Math.Max(0, l.LastIndexOf(','))].Trim('"')).Where(l => l.Length > 0));
        }
        messages.AddRange(TableTexts());
        var seconds = double.Parse(options.GetValueOrDefault("seconds", "3"), CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine($"## µs per message ({messages.Count} messages: {messages.Count - TableTexts().Count()} from --messages, {TableTexts().Count()} table-test texts; {seconds} s per cell, {Environment.ProcessorCount} cores, one thread)");
        Console.WriteLine();
        Console.WriteLine("| engine | details asked | mean µs | p50 µs | p99 µs | max µs |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (engine, kinds) in new[]
        {
            (DetailEngine.Ours, DetailKinds.All), (DetailEngine.Recognizers, DetailKinds.All), (DetailEngine.Combined, DetailKinds.All),
            (DetailEngine.Combined, DetailKinds.Location), (DetailEngine.Combined, DetailKinds.Phones),
        })
        {
            var extractor = Extractor(engine, Beijing);
            foreach (var m in messages.Take(200))
            {
                extractor.Extract(m, Now, kinds); // warm-up
            }
            var samples = new List<double>(messages.Count * 4);
            var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
            do
            {
                foreach (var m in messages)
                {
                    var started = Stopwatch.GetTimestamp();
                    extractor.Extract(m, Now, kinds);
                    samples.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                }
            }
            while (Stopwatch.GetTimestamp() < deadline);
            samples.Sort();
            double At(double q) => samples[Math.Min(samples.Count - 1, (int)(q * samples.Count))];
            Console.WriteLine($"| {engine} | {kinds} | {samples.Average():F1} | {At(0.5):F1} | {At(0.99):F1} | {samples[^1]:F0} |");
        }

        // What the recognizers add on real messages, and what it looks like (for a reader to judge false positives).
        var ours = Extractor(DetailEngine.Ours, Beijing);
        var combined = Extractor(DetailEngine.Combined, Beijing);
        var added = messages.Select(m => (Text: m, Ours: ours.Extract(m, Now), Combined: combined.Extract(m, Now)))
            .Where(x => (x.Ours.When is null && x.Combined.When is not null) || (x.Ours.Duration is null && x.Combined.Duration is not null)
                || x.Ours.Phones.Count < x.Combined.Phones.Count)
            .ToList();
        var withTime = messages.Count(m => ours.Extract(m, Now, DetailKinds.When).When is not null);
        Console.WriteLine();
        Console.WriteLine($"On the mix our rules find a time in {withTime} of {messages.Count} messages; the recognizers add a detail to {added.Count}: "
            + $"a time to {added.Count(x => x.Ours.When is null && x.Combined.When is not null)}, a duration to {added.Count(x => x.Ours.Duration is null && x.Combined.Duration is not null)}, "
            + $"a phone to {added.Count(x => x.Ours.Phones.Count < x.Combined.Phones.Count)}; the first {Math.Min(40, added.Count)}:");
        Console.WriteLine();
        foreach (var x in added.Take(40))
        {
            var when = x.Combined.When is { } w && x.Ours.When is null ? $"when \"{w.Text}\" {w.Start:yyyy-MM-dd HH:mm}–{w.End:yyyy-MM-dd HH:mm}{(w.Recurring ? " recurring" : "")}" : "";
            var duration = x.Ours.Duration is null && x.Combined.Duration is { } d ? $" duration {d.TotalDays:0.##} d" : "";
            Console.WriteLine($"- {x.Text} → {when}{duration}{(x.Ours.Phones.Count < x.Combined.Phones.Count ? " phone" : "")}");
        }

        // The longest message a channel lets through (TurnOptions.MaxTextLength, 2,000 characters), built from the mix.
        var joined = string.Join("，", messages);
        var longest = joined[..Math.Min(2000, joined.Length)];
        foreach (var engine in Engines)
        {
            var extractor = Extractor(engine, Beijing);
            extractor.Extract(longest, Now);
            var started = Stopwatch.GetTimestamp();
            const int runs = 5;
            for (var i = 0; i < runs; i++)
            {
                extractor.Extract(longest, Now);
            }
            Console.WriteLine($"- a {longest.Length}-character message, {engine}: {Stopwatch.GetElapsedTime(started).TotalMilliseconds / runs:F1} ms");
        }
    }

    private static IEnumerable<string> TableTexts()
    {
        foreach (var type in typeof(TimeExtractorTests).Assembly.GetTypes().Where(t => t.Namespace == typeof(TimeExtractorTests).Namespace))
        {
            foreach (var method in type.GetMethods())
            {
                foreach (var args in method.GetCustomAttributes<InlineDataAttribute>().SelectMany(a => a.GetData(method)))
                {
                    if (args.FirstOrDefault() is string { Length: > 1 } text && type != typeof(ChineseNumberTests))
                    {
                        yield return text;
                    }
                }
            }
        }
    }
}
