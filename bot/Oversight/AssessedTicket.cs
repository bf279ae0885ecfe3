using CommunityBot.Tickets;
using LiteDB;

namespace CommunityBot.Oversight;

/// <summary>
/// What the assessment needs of one ticket, derived from its events in one scan (see README.md for the definitions):
/// the full ticket, with its descriptions and reporters, is never kept.
/// </summary>
public sealed record AssessedTicket
{
    public required string Number { get; init; }
    public string? GridId { get; init; }
    public string AssigneeId { get; init; } = "";
    public string AssigneeName { get; init; } = "";
    public string Category { get; init; } = "";
    public TicketStatus Status { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime SignBy { get; init; }
    public DateTime CloseBy { get; init; }

    /// <summary>The first Signed, Replied, TakenOver or Closed event (a worker acted on the ticket).</summary>
    public DateTime? FirstResponse { get; init; }

    public DateTime? FirstSigned { get; init; }

    /// <summary>The last Closed event (办结), whatever happened before it.</summary>
    public DateTime? LastClosed { get; init; }

    public bool EverClosed => LastClosed is not null;

    public bool EverReopened { get; init; }

    public bool EverReturned { get; init; }

    /// <summary>The resident's last answer to "fixed?", if they gave one.</summary>
    public bool? Fixed { get; init; }

    /// <summary>The resident's last answer to "satisfied?", if they gave one.</summary>
    public bool? Satisfied { get; init; }

    /// <summary>Handling ended: the ticket is resolved or closed and its last close is known.</summary>
    public bool IsDone => Status is TicketStatus.Resolved or TicketStatus.Closed && LastClosed is not null;

    /// <summary>The fields of a stored ticket that <see cref="FromBson"/> reads (LiteDB projects only these).</summary>
    public const string Projection =
        "{ _id, GridId, AssigneeId, AssigneeName, Category, Status, CreatedAt, SignBy, CloseBy, " +
        "Events: MAP($.Events[*] => { At: @.At, Kind: @.Kind, Actor: @.Actor, Note: @.Note }) }";

    public static AssessedTicket FromTicket(Ticket ticket) => WithEvents(
        new AssessedTicket
        {
            Number = ticket.Number,
            GridId = ticket.GridId,
            AssigneeId = ticket.AssigneeId,
            AssigneeName = ticket.AssigneeName,
            Category = ticket.Category,
            Status = ticket.Status,
            CreatedAt = ticket.CreatedAt,
            SignBy = ticket.SignBy,
            CloseBy = ticket.CloseBy,
        },
        ticket.Events);

    /// <summary>The ticket's own fields as given, with the facts of its log (<paramref name="events"/>, in log order).</summary>
    public static AssessedTicket WithEvents(AssessedTicket ticket, IEnumerable<TicketEvent> events)
    {
        var facts = new EventFacts();
        foreach (var e in events)
        {
            facts.Add(e.At, e.Kind, e.Actor, e.Note);
        }

        return facts.Build(ticket);
    }

    /// <summary>Reads a stored ticket (the whole document or its <see cref="Projection"/>) without the object mapper.</summary>
    public static AssessedTicket FromBson(BsonDocument doc)
    {
        var facts = new EventFacts();
        if (doc["Events"] is { IsArray: true } events)
        {
            foreach (var item in events.AsArray)
            {
                if (item is not { IsDocument: true })
                {
                    continue;
                }

                var e = item.AsDocument;
                facts.Add(Utc(e["At"]), Enum<TicketEventKind>(e["Kind"]), e["Actor"].IsString ? e["Actor"].AsString : "", e["Note"].IsString ? e["Note"].AsString : "");
            }
        }

        return facts.Build(new AssessedTicket
        {
            Number = doc["_id"].AsString,
            GridId = doc["GridId"].IsString ? doc["GridId"].AsString : null,
            AssigneeId = doc["AssigneeId"].IsString ? doc["AssigneeId"].AsString : "",
            AssigneeName = doc["AssigneeName"].IsString ? doc["AssigneeName"].AsString : "",
            Category = doc["Category"].IsString ? doc["Category"].AsString : "",
            Status = Enum<TicketStatus>(doc["Status"]),
            CreatedAt = Utc(doc["CreatedAt"]),
            SignBy = Utc(doc["SignBy"]),
            CloseBy = Utc(doc["CloseBy"]),
        });
    }

    // LiteDB hands dates back in local time unless told otherwise; the assessment works in UTC throughout.
    private static DateTime Utc(BsonValue value) => value.IsDateTime ? value.AsDateTime.ToUniversalTime() : default;

    // The default BsonMapper stores enums by name; a mapper set to EnumAsInteger stores numbers.
    private static T Enum<T>(BsonValue value)
        where T : struct, Enum =>
        value.IsString && System.Enum.TryParse<T>(value.AsString, out var named) ? named
        : value.IsNumber ? (T)System.Enum.ToObject(typeof(T), value.AsInt32)
        : default;

    /// <summary>Accumulates the event facts in one pass over a ticket's log.</summary>
    private struct EventFacts
    {
        private DateTime? _firstResponse;
        private DateTime? _firstSigned;
        private DateTime? _lastClosed;
        private bool _reopened;
        private bool _returned;
        private bool? _fixed;
        private bool? _satisfied;

        public void Add(DateTime at, TicketEventKind kind, string actor, string note)
        {
            switch (kind)
            {
                case TicketEventKind.Signed:
                    _firstSigned ??= at;
                    _firstResponse ??= at;
                    break;
                case TicketEventKind.Replied or TicketEventKind.TakenOver:
                    _firstResponse ??= at;
                    break;
                case TicketEventKind.Closed:
                    _firstResponse ??= at;
                    _lastClosed = at;
                    break;
                case TicketEventKind.Returned:
                    _returned = true;
                    break;
                case TicketEventKind.Reopened:
                    _reopened = true;
                    Feedback(actor, note, defaultAnswer: false);
                    break;
                case TicketEventKind.Confirmed:
                    Feedback(actor, note, defaultAnswer: true);
                    break;
            }
        }

        public readonly AssessedTicket Build(AssessedTicket ticket) => ticket with
        {
            FirstResponse = _firstResponse,
            FirstSigned = _firstSigned,
            LastClosed = _lastClosed,
            EverReopened = _reopened,
            EverReturned = _returned,
            Fixed = _fixed,
            Satisfied = _satisfied,
        };

        // TicketDesk.RecordFeedbackAsync writes "解决：是/否；满意：是/否"; older or imported notes may say less, and then the
        // event itself answers both questions: a confirmation is yes to both, a resident's reopening no to both.
        private void Feedback(string actor, string note, bool defaultAnswer)
        {
            if (!actor.StartsWith("resident:", StringComparison.Ordinal))
            {
                return;
            }

            _fixed = Answer(note, "解决：") ?? defaultAnswer;
            _satisfied = Answer(note, "满意：") ?? defaultAnswer;
        }

        private static bool? Answer(string note, string question)
        {
            var at = note.IndexOf(question, StringComparison.Ordinal);
            if (at < 0 || at + question.Length >= note.Length)
            {
                return null;
            }

            return note[at + question.Length] switch
            {
                '是' => true,
                '否' => false,
                _ => null,
            };
        }
    }
}
