using CommunityBot.Dialogs.Tickets;

namespace CommunityBot.Tests.Dialogs.Tickets;

public sealed class TicketButtonsTests
{
    [Theory]
    [InlineData(WorkerAction.Sign)]
    [InlineData(WorkerAction.TakeOver)]
    [InlineData(WorkerAction.Close)]
    public void Value_ParsesBackToItsTicketAndAction(WorkerAction action)
    {
        var value = TicketButtons.Value("WT20261202-0007", action);

        Assert.True(TicketButtons.TryParse(value, out var number, out var parsed));
        Assert.Equal("WT20261202-0007", number);
        Assert.Equal(action, parsed);
    }

    [Theory]
    [InlineData("tk:WT20261202-0007:99")]
    [InlineData("tk:WT20261202-0007:Sign,Close")]
    [InlineData("tk:WT20261202-0007:sign")]
    [InlineData("tk:WT20261202-0007: Sign")]
    [InlineData("tk::Sign")]
    [InlineData("tk:WT20261202-0007")]
    [InlineData("faq:WT20261202-0007:Sign")]
    [InlineData("tk:WT:1:Sign")]
    public void TryParse_NotAKnownActionOfOneTicket_IsNoTicketButton(string value)
    {
        Assert.False(TicketButtons.TryParse(value, out var number, out _));
        Assert.Equal("", number);
    }
}
