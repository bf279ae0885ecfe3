using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.ML;

namespace CommunityBot.Understanding.Nlu;

/// <summary>
/// Caches the intent and category models in the data directory (<c>intent.zip</c>, <c>category.zip</c>, each with a
/// <c>.json</c> describing its source) and trains them from the shipped data in <c>Data/nlu</c> when the cache is
/// missing or the shipped data or settings changed. A category model trained by <c>nlu train</c> from an office's
/// own cases is kept until the next <c>nlu train</c>.
/// </summary>
public sealed partial class NluModelStore(string dataDir, string shippedDir, NluOptions options, ILogger logger)
{
    public const string IntentKind = "intent";
    public const string CategoryKind = "category";
    public const string IntentsFile = "intents.csv";
    public const string CategoriesFile = "categories.csv";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The shipped training data next to the executable.</summary>
    public static string DefaultShippedDir => Path.Combine(AppContext.BaseDirectory, "Data", "nlu");

    public string DataDir => Path.GetFullPath(dataDir);

    /// <summary>Loads both models, training (and caching) whichever is missing or stale.</summary>
    public (NluModel Intent, NluModel Category) LoadOrTrain(CancellationToken cancellationToken = default)
    {
        var intentHash = ShippedHash(IntentKind);
        var intent = TryLoad(IntentKind, out var intentInfo) is { } cachedIntent && intentInfo?.Hash == intentHash
            ? cachedIntent
            : TrainShipped(IntentKind, intentHash);
        cancellationToken.ThrowIfCancellationRequested();

        var categoryHash = ShippedHash(CategoryKind);
        var category = TryLoad(CategoryKind, out var categoryInfo) is { } cachedCategory
            && (categoryInfo?.Source != NluModelInfo.Shipped || categoryInfo.Hash == categoryHash)
            ? cachedCategory
            : TrainShipped(CategoryKind, categoryHash);
        if (categoryInfo is { } info && info.Source != NluModelInfo.Shipped)
        {
            LogOfficeCategoryModel(info.Source, info.Labels.Count);
        }
        return (intent, category);
    }

    /// <summary>The shipped rows the model of <paramref name="kind"/> learns from.</summary>
    public List<NluExample> ShippedExamples(string kind)
    {
        var categories = NluDataset.Read(Path.Combine(shippedDir, CategoriesFile));
        if (kind == IntentKind)
        {
            // Every category row is a grievance, so the intent model also learns from them.
            return [.. NluDataset.Read(Path.Combine(shippedDir, IntentsFile)), .. categories.Select(c => c with { Label = "grievance" })];
        }
        var taxonomy = options.EffectiveCategories.ToHashSet(StringComparer.Ordinal);
        foreach (var label in categories.Select(c => c.Label).Distinct().Where(l => !taxonomy.Contains(l)))
        {
            LogUnknownCategory(label);
        }
        var kept = categories.Where(c => taxonomy.Contains(c.Label)).ToList();
        foreach (var missing in options.EffectiveCategories.Where(c => kept.All(k => k.Label != c)))
        {
            LogCategoryWithoutData(missing);
        }
        return kept;
    }

    public NluModel? TryLoad(string kind, out NluModelInfo? info)
    {
        info = null;
        var modelPath = ModelPath(kind);
        var infoPath = InfoPath(kind);
        if (!File.Exists(modelPath) || !File.Exists(infoPath))
        {
            return null;
        }
        try
        {
            info = JsonSerializer.Deserialize<NluModelInfo>(File.ReadAllText(infoPath), Json);
            var ml = new MLContext(seed: 1);
            var transformer = ml.Model.Load(modelPath, out var schema);
            return new NluModel(ml, transformer, schema, problemOnly: kind == CategoryKind);
        }
        catch (Exception ex) when (ex is IOException or JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            LogUnreadableModel(ex, modelPath);
            info = null;
            return null;
        }
    }

    /// <summary>Writes the model and its description through temporary files, so a failure leaves the old ones.</summary>
    public void Save(string kind, NluModel model, NluModelInfo info)
    {
        System.IO.Directory.CreateDirectory(DataDir);
        var suffix = $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var modelTemp = ModelPath(kind) + suffix;
        var infoTemp = InfoPath(kind) + suffix;
        try
        {
            new MLContext().Model.Save(model.Transformer, model.InputSchema, modelTemp);
            File.WriteAllText(infoTemp, JsonSerializer.Serialize(info, Json));
            File.Move(modelTemp, ModelPath(kind), overwrite: true);
            File.Move(infoTemp, InfoPath(kind), overwrite: true);
        }
        finally
        {
            File.Delete(modelTemp);
            File.Delete(infoTemp);
        }
    }

    public string ModelPath(string kind) => Path.Combine(DataDir, kind + ".zip");

    public string InfoPath(string kind) => Path.Combine(DataDir, kind + ".json");

    /// <summary>A hash of the shipped files and every setting that changes the trained model.</summary>
    public string ShippedHash(string kind)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(
            $"{kind}|v{NluTrainer.FeatureVersion}|{options.Trainer}|{options.L2}|{options.BalanceClasses}|{options.CharNgrams}|{options.WordNgrams}|{options.TfIdf}|"));
        if (kind == CategoryKind)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(string.Join(',', options.EffectiveCategories)));
        }
        foreach (var file in kind == IntentKind ? new[] { IntentsFile, CategoriesFile } : [CategoriesFile])
        {
            var path = Path.Combine(shippedDir, file);
            sha.AppendData(File.Exists(path) ? File.ReadAllBytes(path) : []);
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private NluModel TrainShipped(string kind, string hash)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var examples = ShippedExamples(kind);
        var model = NluTrainer.Train(examples, options, problemOnly: kind == CategoryKind);
        var seconds = started.Elapsed.TotalSeconds;
        LogTrained(kind, examples.Count, model.Labels.Count, seconds);
        try
        {
            Save(kind, model, new NluModelInfo
            {
                Source = NluModelInfo.Shipped,
                Hash = hash,
                Labels = model.Labels,
                Rows = examples.Count,
                TrainedAt = DateTimeOffset.UtcNow,
                TrainSeconds = seconds,
            });
        }
        catch (IOException ex)
        {
            // The model still serves this process; the next start trains again.
            LogCacheWriteFailed(ex, kind);
        }
        catch (UnauthorizedAccessException ex)
        {
            LogCacheWriteFailed(ex, kind);
        }
        return model;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trained the {Kind} model on {Rows} shipped rows ({Labels} labels) in {Seconds:F1} s")]
    private partial void LogTrained(string kind, int rows, int labels, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The category {Category} has no training rows and cannot be predicted; add rows for it to Data/nlu/categories.csv or train with nlu train")]
    private partial void LogCategoryWithoutData(string category);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training rows labelled {Category} are left out: the category is not in Nlu:Categories")]
    private partial void LogUnknownCategory(string category);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using the category model trained by nlu train from {Source} ({Labels} categories)")]
    private partial void LogOfficeCategoryModel(string source, int labels);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cached model {Path} cannot be read; training a new one")]
    private partial void LogUnreadableModel(Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not cache the {Kind} model in the data directory")]
    private partial void LogCacheWriteFailed(Exception exception, string kind);
}
