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
        // Tickets (LiteDB's tickets, ticket_submissions and counters). The ticket is one json document (json, not jsonb:
        // jsonb refuses \u0000, which a resident's text may hold, and nothing queries inside the document); the columns
        // beside it are what the queries filter and sort on, written from the document by PostgresTicketStore in the same
        // statement. queue_due is the deadline that counts now for a ticket in its assignee's queue (待签收: signing, 处理中
        // and 重办: closing) and null otherwise, so the queue is one partial index read in order. Every "newest first" list
        // ends its index with number, the order of tickets created in the same instant. ticket_reporters has one row per
        // reporter and supporter, so "我的工单" reads one resident's tickets newest first from its primary key, however many
        // tickets there are. A submission row is claimed before the ticket's number is taken and names the ticket in the
        // same transaction. ticket_counters holds the last number of each local day: the row is taken with the ticket's
        // insert, so numbers are gap-free and one day's creates on every instance wait for each other's commit.
        new(3, "tickets, ticket_reporters, ticket_submissions and ticket_counters", """
            CREATE TABLE tickets (
                number text COLLATE "C" PRIMARY KEY,
                doc json NOT NULL,
                status text COLLATE "C" NOT NULL,
                category text COLLATE "C" NOT NULL,
                grid_id text COLLATE "C",
                assignee_id text COLLATE "C" NOT NULL,
                co_handlers text[] COLLATE "C" NOT NULL,
                level_now text COLLATE "C" NOT NULL,
                created_at timestamptz NOT NULL,
                queue_due timestamptz
            );
            CREATE INDEX tickets_queue ON tickets (assignee_id, queue_due, number) WHERE queue_due IS NOT NULL;
            CREATE INDEX tickets_open ON tickets (created_at, number) WHERE status IN ('Pending', 'InProgress', 'Reopened', 'Returned');
            CREATE INDEX tickets_created ON tickets (created_at, number);
            CREATE INDEX tickets_status_created ON tickets (status, created_at, number);
            CREATE INDEX tickets_category_created ON tickets (category, created_at, number);
            CREATE INDEX tickets_level_created ON tickets (level_now, created_at, number);
            CREATE INDEX tickets_grid_created ON tickets (grid_id, created_at, number);
            CREATE INDEX tickets_assignee_created ON tickets (assignee_id, created_at, number);
            CREATE INDEX tickets_co_handlers ON tickets USING gin (co_handlers);

            CREATE TABLE ticket_reporters (
                reporter_key text COLLATE "C" NOT NULL,
                created_at timestamptz NOT NULL,
                number text COLLATE "C" NOT NULL REFERENCES tickets (number),
                PRIMARY KEY (reporter_key, created_at, number)
            );
            CREATE INDEX ticket_reporters_number ON ticket_reporters (number);

            CREATE TABLE ticket_submissions (
                key text COLLATE "C" PRIMARY KEY,
                ticket text COLLATE "C",
                at timestamptz NOT NULL
            );
            CREATE INDEX ticket_submissions_at ON ticket_submissions (at);

            CREATE TABLE ticket_counters (
                day date PRIMARY KEY,
                last integer NOT NULL
            );
            """),
        // The outbox (LiteDB's outbox), shared by every instance's dispatcher. id is the order of a conversation's entries;
        // address and message are json (not jsonb: \u0000 again). An entry is claimed by an instance for a while
        // (claimed_by, claimed_until: the lease), so a dead instance's claims are claimable again once their time passes.
        // outbox_pending reads each conversation's oldest pending entry (its head) and a conversation's entries in order;
        // outbox_leased holds only the entries in flight, which a claim checks for each conversation it considers (a head
        // is not claimable while any entry of its conversation is leased); outbox_failed serves the console's newest failures
        // and the purge. Columns a claim changes are indexed, so its updates are not HOT: outbox rows are short-lived anyway.
        new(4, "outbox: messages waiting for delivery, with leases for the instance delivering them", """
            CREATE TABLE outbox (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                conversation_key text COLLATE "C" NOT NULL,
                channel text COLLATE "C" NOT NULL,
                address json NOT NULL,
                message json NOT NULL,
                created_at timestamptz NOT NULL,
                due_at timestamptz NOT NULL,
                attempts integer NOT NULL,
                status text COLLATE "C" NOT NULL,
                bulk boolean NOT NULL,
                broadcast_id text COLLATE "C",
                last_error text,
                failed_at timestamptz,
                claimed_by text COLLATE "C",
                claimed_until timestamptz,
                CHECK ((claimed_by IS NULL) = (claimed_until IS NULL))
            );
            CREATE INDEX outbox_pending ON outbox (conversation_key, id) WHERE status = 'Pending';
            CREATE INDEX outbox_leased ON outbox (conversation_key, claimed_until) WHERE claimed_until IS NOT NULL;
            CREATE INDEX outbox_failed ON outbox (failed_at, id) WHERE status = 'Failed';
            """),

        // The durable timers of open tickets (LiteDB's ticket_timers), one json document per ticket (nothing queries inside
        // it) and beside it next_at, the one column the sweep reads: due timers are a range of the partial index, which
        // leaves out the timers with nothing pending (null). No foreign key to tickets: a timer is written in the
        // transaction of its ticket's change, and the sweep claims a due timer only together with its ticket's row
        // (PostgresTicketTimerStore).
        new(5, "ticket_timers: the durable timers of open tickets, by when they are next due", """
            CREATE TABLE ticket_timers (
                ticket_number text COLLATE "C" PRIMARY KEY,
                doc json NOT NULL,
                next_at timestamptz
            );
            CREATE INDEX ticket_timers_due ON ticket_timers (next_at, ticket_number) WHERE next_at IS NOT NULL;
            """),

        // Console accounts (LiteDB's admin_users) and broadcasts (LiteDB's broadcasts). An account is one json document with
        // its lockout state (per-address failures, recent failures, the account lock), keyed by the name folded to lower case
        // (LiteDB's ids ignore case): a sign-in reads it FOR UPDATE, so every instance counts failures on the same row, one
        // after the other. admin_login_attempts holds the sign-ins admitted and still being hashed, so the ones in flight on
        // every instance count against the lockout too; each expires, so a crashed instance's are not counted for ever.
        // A broadcast's request_id (the confirm form's one-time id) is unique: the same form posted to two instances at once
        // inserts one row, and only that transaction inserts its outbox entries.
        new(6, "admin_users, admin_login_attempts and broadcasts: console accounts with their lockouts, and broadcasts by request id", """
            CREATE TABLE admin_users (
                name_key text COLLATE "C" PRIMARY KEY,
                doc json NOT NULL
            );

            CREATE TABLE admin_login_attempts (
                id uuid PRIMARY KEY,
                name_key text COLLATE "C" NOT NULL REFERENCES admin_users (name_key) ON DELETE CASCADE,
                address text COLLATE "C" NOT NULL,
                expires_at timestamptz NOT NULL
            );
            CREATE INDEX admin_login_attempts_account ON admin_login_attempts (name_key, address);

            CREATE TABLE broadcasts (
                id text COLLATE "C" PRIMARY KEY,
                request_id text COLLATE "C" NOT NULL UNIQUE,
                author text NOT NULL,
                text text NOT NULL,
                created_at timestamptz NOT NULL,
                group_keys text[] COLLATE "C" NOT NULL
            );
            CREATE INDEX broadcasts_created ON broadcasts (created_at, id);
            """),

        // The live take-overs (LiteDB's handoffs), one json document per resident thread beside the columns the lookups use
        // (a worker's chat, a worker, a ticket) and the sweep's (last activity, the resident's wait, escalated). Few live at
        // any time, so the sweep scans; the lookups by worker and ticket have their indexes as on LiteDB.
        new(7, "handoffs: the live take-overs of residents' threads by workers", """
            CREATE TABLE handoffs (
                resident_key text COLLATE "C" PRIMARY KEY,
                worker_key text COLLATE "C" NOT NULL,
                worker_id text COLLATE "C" NOT NULL,
                ticket_number text COLLATE "C" NOT NULL,
                last_activity_at timestamptz NOT NULL,
                resident_waiting_since timestamptz,
                escalated boolean NOT NULL,
                doc json NOT NULL
            );
            CREATE INDEX handoffs_worker_key ON handoffs (worker_key, last_activity_at DESC);
            CREATE INDEX handoffs_worker_id ON handoffs (worker_id);
            CREATE INDEX handoffs_ticket ON handoffs (ticket_number);
            """),

        // The knowledge every instance answers from (LiteDB's dir_* collections, faq, faq_misses and notices). Each row is a
        // json document (not jsonb: \u0000 again, and nothing queries inside it) beside the columns the queries use. Every
        // write to directory_rows, faq_entries or notices sends NOTIFY knowledge in its transaction, so each instance drops
        // its in-memory copies when it commits (PostgresKnowledgeListener).
        // directory_rows: the directory is only ever replaced whole and read whole, so one table holds every kind of row,
        // read in primary-key order (kind, then import position, which matters: the first community staff member is asked
        // first). faq_entries: key is the id upper-cased, as the LiteDB store and its snapshot compare ids (ignoring case);
        // no index on enabled, since most entries are and the enabled ones are read all at once to build the FAQ index.
        // faq_misses: newest first for the console and oldest first for the prune, both from one index on (at, id); an
        // identity id breaks ties. notices: the console lists them newest window first (notices_start); the notices in force
        // are answered from memory, loaded from the ones not withdrawn (notices_current).
        new(8, "directory_rows, faq_entries, faq_misses and notices: the knowledge, edits notified on channel knowledge", """
            CREATE TABLE directory_rows (
                kind text COLLATE "C" NOT NULL,
                position integer NOT NULL,
                doc json NOT NULL,
                PRIMARY KEY (kind, position)
            );

            CREATE TABLE faq_entries (
                key text COLLATE "C" PRIMARY KEY,
                enabled boolean NOT NULL,
                doc json NOT NULL
            );

            CREATE TABLE faq_misses (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at timestamptz NOT NULL,
                doc json NOT NULL
            );
            CREATE INDEX faq_misses_at ON faq_misses (at, id);

            CREATE TABLE notices (
                id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                doc json NOT NULL,
                start_utc timestamptz NOT NULL,
                end_utc timestamptz NOT NULL,
                withdrawn_utc timestamptz
            );
            CREATE INDEX notices_start ON notices (start_utc DESC, id DESC);
            CREATE INDEX notices_current ON notices (id) WHERE withdrawn_utc IS NULL;
            """),
        // The groups the bot is in and each resident's last group (LiteDB's chat_groups and resident_groups). A group is a
        // json document beside the columns the eviction uses: the least recently seen group not tied to a community goes
        // first, so the partial index holds the unassigned ones in that order.
        new(9, "chat_groups and resident_groups: the groups the bot is in, and each resident's last group", """
            CREATE TABLE chat_groups (
                key text COLLATE "C" PRIMARY KEY,
                community_id text COLLATE "C",
                last_seen timestamptz NOT NULL,
                doc json NOT NULL
            );
            CREATE INDEX chat_groups_unassigned ON chat_groups (last_seen, key) WHERE community_id IS NULL;

            CREATE TABLE resident_groups (
                key text COLLATE "C" PRIMARY KEY,
                group_key text COLLATE "C" NOT NULL,
                last_seen timestamptz NOT NULL
            );
            CREATE INDEX resident_groups_last_seen ON resident_groups (last_seen);
            """),
        // The office's holiday calendar (LiteDB's holidays): a day off, or an adjusted working weekend, by local date.
        new(10, "holidays: the office's holiday calendar", """
            CREATE TABLE holidays (
                date text COLLATE "C" PRIMARY KEY,
                name text NOT NULL,
                is_workday boolean NOT NULL
            );
            """),
        // Residents' requests for a person (LiteDB's help_requests), newest first for the office.
        new(11, "help_requests: residents' requests for a person", """
            CREATE TABLE help_requests (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at timestamptz NOT NULL,
                doc json NOT NULL
            );
            CREATE INDEX help_requests_at ON help_requests (at, id);
            """),
        // One-off facts about a conversation (LiteDB's conversation_marks): the key is what marks a fact once.
        new(12, "conversation_marks: one-off facts about a conversation", """
            CREATE TABLE conversation_marks (
                key text COLLATE "C" PRIMARY KEY,
                at timestamptz NOT NULL
            );
            """),
        // The proactive turns the desk requests (LiteDB's proactive_turns), one row per request, flat like the outbox's: every
        // column but the conversation reference and the event's value is queried or changed by the claims and outcomes, so
        // there is no document beside them. id is the request's LiteDB ObjectId in its 24-digit hex form: it is made by the
        // instance that builds the request, unique across instances, and the turn is de-duplicated on it ("proactive-{id}"),
        // so it stays the request's name on both providers. position (an identity, in insert order) is the order a
        // resident's requests run in; the ObjectId orders by second, then by machine, so two instances' requests of one
        // second would not keep their order by it. value is text: read back exactly as given, even when not JSON.
        // claimed_by and claimed_until are a runner's lease (PostgresProactiveTurnStore.ClaimAsync). The pending requests
        // are few; the partial index gives each resident's head in order.
        new(13, "proactive_turns: the turns the bot owes residents, with leases for the instance running them", """
            CREATE TABLE proactive_turns (
                id text COLLATE "C" PRIMARY KEY,
                position bigint GENERATED ALWAYS AS IDENTITY,
                resident_key text COLLATE "C" NOT NULL,
                address json NOT NULL,
                name text NOT NULL,
                value text NOT NULL,
                created_at timestamptz NOT NULL,
                due_at timestamptz NOT NULL,
                attempts integer NOT NULL,
                status text COLLATE "C" NOT NULL,
                last_error text,
                failed_at timestamptz,
                claimed_by text COLLATE "C",
                claimed_until timestamptz
            );
            CREATE INDEX proactive_turns_pending ON proactive_turns (resident_key, position) WHERE status = 'Pending';
            CREATE INDEX proactive_turns_failed ON proactive_turns (failed_at) WHERE status = 'Failed';
            """),
        // Re-hosted photos (LiteDB's media and the files under DATA_DIR/media) and an Open311 request's extras (LiteDB's
        // open311_submissions). A photo's record is a json document beside the columns its queries use: media_due reads the
        // pending photos whose attempt is due, oldest first; media_ticket a ticket's photos (and a batch's) in recorded order.
        // claimed_by and claimed_until are the lease of the instance fetching it, so two instances never download one photo
        // at once and a dead instance's photo is fetched by another after the lease. The bytes live here too, in media_files
        // keyed by their SHA-256 (the same photo sent twice is kept once), so every instance behind a load balancer serves a
        // photo any of them fetched; the limit is MediaOptions.MaxBytes's largest allowed value. open311_submissions: one
        // row per ticket, the first kept (ON CONFLICT DO NOTHING).
        new(14, "media, media_files and open311_submissions: photos with their fetch leases and bytes, and Open311 extras", """
            CREATE TABLE media (
                id text COLLATE "C" PRIMARY KEY,
                batch text COLLATE "C" NOT NULL,
                ticket_number text COLLATE "C" NOT NULL,
                status text COLLATE "C" NOT NULL,
                created_at timestamptz NOT NULL,
                next_attempt_at timestamptz NOT NULL,
                sha256 text COLLATE "C",
                claimed_by text COLLATE "C",
                claimed_until timestamptz,
                doc json NOT NULL,
                CHECK ((claimed_by IS NULL) = (claimed_until IS NULL))
            );
            CREATE INDEX media_due ON media (created_at, id) WHERE status = 'Pending';
            CREATE INDEX media_ticket ON media (ticket_number, created_at, id);

            CREATE TABLE media_files (
                sha256 text COLLATE "C" PRIMARY KEY,
                bytes bytea NOT NULL CHECK (octet_length(bytes) <= 104857600),
                stored_at timestamptz NOT NULL
            );

            CREATE TABLE open311_submissions (
                ticket_number text COLLATE "C" PRIMARY KEY,
                doc json NOT NULL
            );
            """),
    ];

}
