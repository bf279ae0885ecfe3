using CommunityBot.Clocks;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Media;
using CommunityBot.Notifications;
using CommunityBot.Storage;

namespace CommunityBot.Tickets;

/// <summary>Registers the ticket store, the desk the dialogs file tickets with, and its view of the grid directory.</summary>
public static class TicketExtensions
{
    /// <summary>Needs <c>AddStorage()</c>, <c>AddDirectory()</c>, the outbox from <c>AddDialogs()</c> and <c>AddMedia()</c>.</summary>
    public static IHostApplicationBuilder AddTickets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TicketOptions>()
            .BindConfiguration(TicketOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<TicketStore>();
        builder.Services.AddSingleton<HandoffStore>();
        builder.Services.AddSingleton<ITakeOvers>(sp => sp.GetRequiredService<HandoffStore>());
        builder.Services.AddSingleton<IPrivateChats, PrivateChats>();
        builder.Services.AddHostedService<HandoffSweeper>();
        builder.Services.AddSingleton<ITicketAssignment, DirectoryAssignment>();
        builder.Services.AddSingleton<ITicketRepository>(sp => new LiteDbTicketRepository(
            sp.GetRequiredService<TicketStore>(),
            sp.GetRequiredService<LiteDbWriter>(),
            sp.GetRequiredService<Outbox>(),
            sp.GetRequiredService<ProactiveTurnStore>(),
            sp.GetRequiredService<HandoffStore>(),
            sp.GetService<TicketTimerStore>(),
            sp.GetService<MediaStore>(),
            sp.GetService<Open311.Open311SubmissionStore>()));
        builder.Services.AddSingleton<TicketDesk>();
        builder.Services.AddSingleton<ITicketDesk>(sp => sp.GetRequiredService<TicketDesk>());
        builder.Services.AddSingleton<IMediaBatchListener, TicketPhotoMessages>();
        return builder;
    }
}
