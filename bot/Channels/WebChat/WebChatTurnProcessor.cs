using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Channels.WebChat;

/// <summary>
/// The seam between the web chat endpoint and the turn pipeline. By default it is
/// <see cref="TurnPipeline.ProcessAsync"/>; tests register their own.
/// </summary>
public delegate Task<TurnOutcome> WebChatTurnProcessor(InboundMessage message, CancellationToken cancellationToken);
