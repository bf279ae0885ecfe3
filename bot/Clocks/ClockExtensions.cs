namespace CommunityBot.Clocks;

/// <summary>Registers the working calendar, the ticket clocks and the escalation sweeper.</summary>
public static class ClockExtensions
{
    /// <summary>Needs <c>AddStorage()</c>; <c>AddTickets()</c> picks the clock up for its desk.</summary>
    public static IHostApplicationBuilder AddClocks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClockOptions>()
            .BindConfiguration(ClockOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Problem() is null, "Clocks settings are invalid: check TimeZone, OfficeHours, the clock lengths and Holidays.")
            .ValidateOnStart();
        builder.Services.AddSingleton<HolidayStore>();
        builder.Services.AddSingleton<TicketTimerStore>();
        builder.Services.AddSingleton<TicketClock>();
        builder.Services.AddHostedService<EscalationSweeper>();
        return builder;
    }
}
