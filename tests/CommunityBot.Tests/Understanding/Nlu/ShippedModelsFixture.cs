using Microsoft.Extensions.Logging;
using CommunityBot.Understanding.Nlu;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Understanding.Nlu;

/// <summary>Trains the shipped intent and category models once per test class, into a temporary data directory.</summary>
public sealed class ShippedModelsFixture : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"cb-nlu-{Guid.NewGuid():N}");

    public ShippedModelsFixture()
    {
        var store = new NluModelStore(_dir, NluModelStore.DefaultShippedDir, Options, NullLogger.Instance);
        (Intent, Category) = store.LoadOrTrain();
    }

    public NluOptions Options { get; } = new();
    public NluModel Intent { get; }
    public NluModel Category { get; }

    public MessageClassifier Classifier(NluOptions? options = null)
    {
        var classifier = new MessageClassifier(options ?? Options);
        classifier.Use(Intent, Category);
        return classifier;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(_dir))
        {
            System.IO.Directory.Delete(_dir, recursive: true);
        }
    }
}

/// <summary>Keeps what was logged, to check warnings.</summary>
public sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Entries)
        {
            Entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
