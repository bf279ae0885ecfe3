using CommunityBot.Open311;
using CommunityBot.Tickets;

namespace CommunityBot.Tests.Open311;

public sealed class ServiceRequestMapperTests
{
    private static readonly DateTime Created = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(TicketStatus.Pending, "open")]
    [InlineData(TicketStatus.InProgress, "open")]
    [InlineData(TicketStatus.Reopened, "open")]
    [InlineData(TicketStatus.Returned, "open")]
    [InlineData(TicketStatus.Resolved, "closed")]
    [InlineData(TicketStatus.Closed, "closed")]
    public void Status_EachTicketStatus_MapsToTheSpecsTwo(TicketStatus status, string expected)
    {
        Assert.Equal(expected, ServiceRequestMapper.StatusOf(new Ticket { Status = status }));
    }

    [Fact]
    public void FromTicket_Internal_NotesAndPrivateDetailsStayOut()
    {
        var ticket = new Ticket
        {
            Number = "WT20261123-0007",
            Category = "物业管理",
            Description = "电梯坏了",
            CompoundName = "幸福里小区",
            Building = "3",
            Room = "301",
            Reporter = new TicketReporter { Channel = "open311", UserName = "张小明", Phone = "13912345678" },
            Status = TicketStatus.InProgress,
            CreatedAt = Created,
            CloseBy = Created.AddDays(3),
            Events =
            [
                new TicketEvent { At = Created, Kind = TicketEventKind.Created, Actor = "resident:open311|email:a@b.cn", Note = "电梯坏了" },
                new TicketEvent { At = Created.AddMinutes(5), Kind = TicketEventKind.Replied, Actor = "w-wangfang", Note = "师傅明早到" },
                new TicketEvent { At = Created.AddMinutes(9), Kind = TicketEventKind.CoHandlerAdded, Actor = "w-wangfang", Note = "联动李强：找物业经理 13800000000" },
            ],
        };

        var request = ServiceRequestMapper.FromTicket(ticket, null, "丰和里一网格", TimeSpan.FromHours(8));

        Assert.Equal("师傅明早到", request.StatusNotes);
        Assert.Equal("幸福里小区3号楼", request.Address);
        Assert.Equal("property", request.ServiceCode);
        Assert.Equal("2026-11-23T20:00:00+08:00", ServiceRequestMapper.FormatDatetime(request.RequestedDatetime));
        Assert.Equal("2026-11-23T20:09:00+08:00", ServiceRequestMapper.FormatDatetime(request.UpdatedDatetime));
        Assert.Equal("2026-11-26T20:00:00+08:00", ServiceRequestMapper.FormatDatetime(request.ExpectedDatetime!.Value));
        Assert.Null(request.Lat);
    }

    [Fact]
    public void Issue15_ReopenedTicket_HasNoStatusNotesUntilTheWorkerWritesAgain()
    {
        var ticket = new Ticket
        {
            Number = "WT20261123-0008",
            Category = "物业管理",
            Status = TicketStatus.Reopened,
            CreatedAt = Created,
            Events =
            [
                new TicketEvent { At = Created, Kind = TicketEventKind.Created, Note = "电梯坏了" },
                new TicketEvent { At = Created.AddHours(1), Kind = TicketEventKind.Closed, Actor = "w-wangfang", Note = "已修好" },
                new TicketEvent { At = Created.AddHours(2), Kind = TicketEventKind.Reopened, Actor = "resident:x", Note = "解决：否；满意：否" },
            ],
        };

        Assert.Null(ServiceRequestMapper.FromTicket(ticket, null, null, TimeSpan.FromHours(8)).StatusNotes);

        ticket.Events.Add(new TicketEvent { At = Created.AddHours(3), Kind = TicketEventKind.Replied, Actor = "w-wangfang", Note = "明早再派师傅" });
        Assert.Equal("明早再派师傅", ServiceRequestMapper.FromTicket(ticket, null, null, TimeSpan.FromHours(8)).StatusNotes);
    }

    [Fact]
    public void FromTicket_CategoryOutsideTheTaxonomy_IsServiceOther()
    {
        var request = ServiceRequestMapper.FromTicket(new Ticket { Number = "WT1", Category = "养犬管理", CreatedAt = Created }, null, null, TimeSpan.FromHours(8));

        Assert.Equal("other", request.ServiceCode);
        Assert.Equal("养犬管理", request.ServiceName);
        Assert.Null(request.Address);
    }

    [Fact]
    public void Services_DefaultTaxonomy_EachCategoryHasOneAsciiCode()
    {
        Assert.Equal(CommunityBot.Dialogs.Grievance.GrievanceCategories.Default.Order(), Open311Services.All.Select(s => s.Category).Order());
        Assert.All(Open311Services.All, s => Assert.Matches("^[a-z][a-z-]*$", s.Code));
        Assert.Equal(Open311Services.All.Count, Open311Services.All.Select(s => s.Code).Distinct().Count());
    }

    [Fact]
    public void FromTicket_PhoneInDescription_IsMasked()
    {
        var ticket = new Ticket { Number = "WT1", Category = "物业管理", Description = "电梯坏了，联系我13912345678或0371-66001000", CreatedAt = Created };

        var request = ServiceRequestMapper.FromTicket(ticket, null, null, TimeSpan.FromHours(8));

        Assert.Equal("电梯坏了，联系我（号码已隐藏）或（号码已隐藏）", request.Description);
    }
}
