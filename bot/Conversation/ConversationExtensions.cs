using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Dialogs.Handoff;
using CommunityBot.Dialogs.Routing;
using CommunityBot.Handoff;
using CommunityBot.Notifications;

namespace CommunityBot.Conversation;

/// <summary>Wires the dialogs, the turn pipeline and the outbox.</summary>
public static class ConversationExtensions
{
    public static IHostApplicationBuilder AddDialogs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DialogOptions>().BindConfiguration(DialogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<RouterOptions>().BindConfiguration(RouterOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<TurnOptions>().BindConfiguration(TurnOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        builder.Services.AddSingleton<LiteDbStorage>();
        builder.Services.AddSingleton<ITurnStorage>(sp => sp.GetRequiredService<LiteDbStorage>());
        builder.Services.AddSingleton<Microsoft.Bot.Builder.IStorage>(sp => sp.GetRequiredService<LiteDbStorage>());
        builder.Services.AddSingleton<ResidentDialogState>();
        builder.Services.AddSingleton<BotStateDialogStore>();
        builder.Services.AddSingleton<IDialogStateStore>(sp => sp.GetRequiredService<BotStateDialogStore>());
        builder.Services.AddSingleton<IConversationMemory, LiteDbConversationMemory>();
        builder.Services.AddSingleton<HelpRequestStore>();
        builder.Services.AddSingleton<IHumanHelp>(sp => sp.GetRequiredService<HelpRequestStore>());
        builder.Services.AddSingleton<IBot, TurnRouter>();

        builder.Services.AddSingleton<ProcessedMessageLog>();
        builder.Services.AddSingleton<ITurnStore, LiteDbTurnStore>();
        builder.Services.AddSingleton<DedupeMiddleware>();
        builder.Services.AddSingleton<ResidentLockMiddleware>();
        builder.Services.AddSingleton<TurnCommitMiddleware>();
        builder.Services.AddSingleton<SizeLimitMiddleware>();
        builder.Services.AddSingleton<TakeOverRelayMiddleware>();
        builder.Services.AddSingleton<TurnErrorHandler>();
        builder.Services.AddSingleton(sp => new TurnMiddleware(
            sp.GetRequiredService<DedupeMiddleware>(), sp.GetRequiredService<ResidentLockMiddleware>(),
            sp.GetRequiredService<TurnCommitMiddleware>(), sp.GetRequiredService<SizeLimitMiddleware>(),
            sp.GetRequiredService<TakeOverRelayMiddleware>(), sp.GetRequiredService<TurnErrorHandler>()));
        builder.Services.AddSingleton<ConversationBot>();
        builder.Services.AddSingleton<Microsoft.Bot.Builder.IBot>(sp => sp.GetRequiredService<ConversationBot>());
        builder.Services.AddSingleton(sp => new TurnPipeline(sp.GetRequiredService<ConversationBot>(), sp.GetRequiredService<TurnMiddleware>()));
        builder.Services.AddSingleton<ITurnProcessor>(sp => sp.GetRequiredService<TurnPipeline>());
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton<ITurnSender>(sp => sp.GetRequiredService<Outbox>());
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddSingleton<ProactiveTurnStore>();
        builder.Services.AddSingleton<IProactiveTurnQueue, LiteDbProactiveTurnQueue>();
        builder.Services.AddSingleton<ProactiveTurnRunner>();
        builder.Services.AddHostedService<StoreWarmup>();
        builder.Services.AddHostedService<OutboxService>();
        builder.Services.AddHostedService<ProactiveTurnService>();
        builder.Services.AddHostedService<ConversationCleanupService>();
        return builder;
    }
}
