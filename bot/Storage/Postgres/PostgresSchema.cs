namespace CommunityBot.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema this build knows, as ordered migrations (<see cref="PostgresSchemaMigrator"/> applies the ones a
/// database lacks). Append only: a released migration is never edited, a change is a new one.
/// </summary>
public static class PostgresSchema
{
    /// <summary>The schema version this build writes.</summary>
    public static int CurrentVersion => Migrations.Count;

    public static IReadOnlyList<PostgresMigration> Migrations { get; } =
    [
        // The SDK's state items (LiteDB's bot_state). The JSON is text, not jsonb: jsonb rewrites numbers and drops duplicate
        // keys, and the item must read back exactly as written. The key's collation is "C" so a prefix LIKE can use the
        // primary key's btree (FindByPrefix), and ordering is by bytes. No index on last_active: the hourly sweep may scan,
        // while an indexed column that every write changes would cost every turn's update its HOT path.
        new(1, "bot_state: the SDK's state items with ETags", """
            CREATE TABLE bot_state (
                key text COLLATE "C" PRIMARY KEY,
                json text NOT NULL,
                etag text NOT NULL,
                last_active timestamptz NOT NULL
            );
            """),
        // The ids of messages whose turn committed (LiteDB's processed_messages). The primary key is what makes a redelivery
        // to a second instance a duplicate; the hourly cleanup scans processed_at, as on LiteDB.
        new(2, "processed_messages: the ids of messages whose turn committed", """
            CREATE TABLE processed_messages (
                key text PRIMARY KEY,
                processed_at timestamptz NOT NULL
            );
            """),
    ];
}
