using CommunityBot.Channels;

namespace CommunityBot.Demo;

/// <summary>Registers the demo's first-start data and its one-time console sign-in (see <see cref="DemoOptions"/>).</summary>
public static class DemoExtensions
{
    /// <summary>
    /// Call after <c>AddDirectory()</c> and <c>AddUnderstanding()</c> and before <c>AddClocks()</c>: hosted services start in
    /// the order they are added, and the history must be written after the directory is seeded and before the escalation
    /// sweeper runs. Needs the ticket desk's parts (<c>AddTickets()</c>), the group registry and the console's accounts.
    /// </summary>
    public static IHostApplicationBuilder AddDemo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        HostExposure.Register(builder.Services);
        builder.Services.AddSingleton<DemoSignIn>();
        builder.Services.AddSingleton<DemoTicketHistory>();
        builder.Services.AddHostedService<DemoSeeder>();
        return builder;
    }
}
