using LiteDB;

namespace CommunityBot.Storage;

/// <summary>
/// The layout version of the LiteDB store, kept in the file's own header (LiteDB's <c>USER_VERSION</c> pragma, 0 in a file
/// that never set it). Opening a store brings an older one up to <see cref="CurrentVersion"/> in place, one step at a
/// time, and refuses one written by a newer build: that build may have moved data this one would misread or destroy.
/// </summary>
public static partial class StoreSchema
{
    /// <summary>The layout this build writes.</summary>
    public const int CurrentVersion = 3;

    /// <summary>
    /// The steps that bring a store from version <c>i</c> to <c>i + 1</c>, in order (<c>Steps[i]</c>). Each step must be
    /// safe to run again: the version is recorded after each step, so a crash during one repeats it at the next start.
    /// </summary>
    public static IReadOnlyList<StoreUpgrade> Steps { get; } =
    [
        // Version 0: every store written before the version was recorded (up to and including the release this one
        // follows). Its layout is exactly version 1's (collections and indexes are created by the stores that own them,
        // LiteDbIndexes builds an index that is missing), so the step records the version and changes nothing else.
        new("record the schema version (the layout is unchanged)", _ => { }),
        // Version 1 → 2: duplicates are matched on the problem and the place (DuplicateMatcher), no longer on a stored
        // category|compound|building key, so the tickets' DuplicateKey index only cost every ticket write an index
        // update. Dropping an index that is not there (a store made by a build that never had it) is a no-op. The field
        // stays in older documents, where nothing reads it.
        new("drop the unused tickets index DuplicateKey", database => database.GetCollection("tickets").DropIndex("DuplicateKey")),
        // Version 2 → 3: dialog state moves from its own collection (dialog_state) into the SDK's PrivateConversationState
        // items in bot_state (issue 13), where the turn's BotState reads and saves it.
        new("move the dialog states of dialog_state into the residents' SDK state (bot_state)", DialogStateUpgrade.Apply),
    ];

    /// <summary>
    /// Brings <paramref name="database"/> to <see cref="CurrentVersion"/>: stamps a new (empty) store, upgrades an older
    /// one step by step (and logs it), leaves a current one alone.
    /// </summary>
    /// <exception cref="StoreVersionException">The store was written by a newer build.</exception>
    public static void Upgrade(ILiteDatabase database, string description, ILogger logger) =>
        Upgrade(database, description, logger, Steps);

    /// <summary>The same with the given steps (tests).</summary>
    public static void Upgrade(ILiteDatabase database, string description, ILogger logger, IReadOnlyList<StoreUpgrade> steps)
    {
        var current = steps.Count;
        var version = database.UserVersion;
        if (version > current)
        {
            throw new StoreVersionException(version, current,
                $"The store {description} was written by a newer CommunityBot (store schema version {version}; this build reads up to {current}). " +
                "Run the newer build on it, or restore a backup made by this version (`restore FILE`). Nothing was changed.");
        }

        if (version == current)
        {
            return;
        }

        if (version == 0 && !database.GetCollectionNames().Any())
        {
            database.UserVersion = current; // a new store: nothing to upgrade
            return;
        }

        if (version < 0)
        {
            throw new StoreVersionException(version, current, $"The store {description} records an invalid schema version ({version}). Nothing was changed.");
        }

        LogUpgrading(logger, description, version, current);
        for (var from = version; from < current; from++)
        {
            var step = steps[from];
            LogStep(logger, from, from + 1, step.Description);
            step.Apply(database, logger);
            database.UserVersion = from + 1;
        }

        database.Checkpoint(); // the upgraded layout is in the data file before anything else runs
        LogUpgraded(logger, description, current);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upgrading the store {Store} from schema version {From} to {To}")]
    private static partial void LogUpgrading(ILogger logger, string store, int from, int to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store upgrade {From} → {To}: {Step}")]
    private static partial void LogStep(ILogger logger, int from, int to, string step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upgraded the store {Store} to schema version {Version}")]
    private static partial void LogUpgraded(ILogger logger, string store, int version);
}
