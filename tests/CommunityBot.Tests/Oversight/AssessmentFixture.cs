using CommunityBot.Directory;
using CommunityBot.Oversight;
using CommunityBot.Tickets;

namespace CommunityBot.Tests.Oversight;

/// <summary>Hand-built tickets and a small directory (one street, two communities, three grids, three workers).</summary>
internal static class AssessmentFixture
{
    /// <summary>2026-11-01 00:00 in Asia/Shanghai.</summary>
    public static readonly DateTime MonthStart = new(2026, 10, 31, 16, 0, 0, DateTimeKind.Utc);

    public static readonly DateTime MonthEnd = new(2026, 11, 30, 16, 0, 0, DateTimeKind.Utc);

    public static readonly DateTime AsOf = new(2026, 12, 20, 0, 0, 0, DateTimeKind.Utc);

    public static readonly TimeZoneInfo Zone = new DirectoryOptions().ResolveTimeZone();

    public static DirectorySnapshot Directory { get; } = new(new DirectoryData
    {
        StreetOffice = new StreetOffice { Name = "幸福街道" },
        Communities = [new Community { Id = "c1", Name = "东社区" }, new Community { Id = "c2", Name = "西社区" }],
        Grids =
        [
            new Grid { Id = "g1", Name = "东一网格", Community = "c1", WorkerId = "w1" },
            new Grid { Id = "g2", Name = "东二网格", Community = "c1", WorkerId = "w2" },
            new Grid { Id = "g3", Name = "西一网格", Community = "c2", WorkerId = "w3" },
        ],
        Workers =
        [
            new Worker { Id = "w1", Name = "王芳", Community = "c1" },
            new Worker { Id = "w2", Name = "李强", Community = "c1" },
            new Worker { Id = "w3", Name = "张伟", Community = "c2" },
        ],
    });

    /// <summary>
    /// A ticket created <paramref name="day"/> days and <paramref name="hour"/> hours into the month, signing due after
    /// 30 minutes and closing after 3 days, with events at the given minutes after creation.
    /// </summary>
    public static Ticket Ticket(
        string number, string grid, string worker, TicketStatus status, double day = 1, double hour = 2, string category = "噪音",
        params (double Minutes, TicketEventKind Kind, string Note)[] events)
    {
        var created = MonthStart.AddDays(day).AddHours(hour);
        var ticket = new Ticket
        {
            Number = number,
            GridId = grid,
            AssigneeId = worker,
            AssigneeName = "网格员" + worker,
            Category = category,
            Status = status,
            CreatedAt = created,
            SignBy = created.AddMinutes(30),
            CloseBy = created.AddDays(3),
            Description = "楼下烧烤店半夜很吵",
            Reporter = new TicketReporter { Channel = "wecom", UserId = "r1", Phone = "13800000000" },
        };
        ticket.Events.Add(new TicketEvent { At = created, Actor = "resident:wecom|r1", Kind = TicketEventKind.Created });
        foreach (var (minutes, kind, note) in events)
        {
            var actor = kind is TicketEventKind.Confirmed or TicketEventKind.Reopened ? "resident:wecom|r1" : worker;
            ticket.Events.Add(new TicketEvent { At = created.AddMinutes(minutes), Actor = actor, Kind = kind, Note = note });
        }

        return ticket;
    }

    public static AssessmentResult Compute(IEnumerable<Ticket> tickets, AssessmentOptions? options = null, DateTime? asOf = null) =>
        AssessmentService.Compute(
            tickets.Select(AssessedTicket.FromTicket), MonthStart, MonthEnd, asOf ?? AsOf, AssessmentLevel.Grid, Directory, Zone, options ?? new AssessmentOptions());

    public static (double, TicketEventKind, string) At(double minutes, TicketEventKind kind, string note = "") => (minutes, kind, note);
}
