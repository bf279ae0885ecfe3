using CommunityBot.Conversation;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// The first middleware of the <see cref="CloudAdapter"/>, for every activity <c>CloudAdapter.ProcessAsync</c> authenticated
/// on <c>/api/messages</c>: it admits the activity (the rules of this endpoint, on the very <see cref="Activity"/> the SDK
/// read and authenticated) and reads it as a resident's message (<see cref="ResidentTurn"/>), which the shared middleware
/// (<see cref="TurnMiddleware"/>: dedupe, the resident's lock, the one commit) and the bot (<see cref="ConversationBot"/>)
/// then run, exactly as for WeCom and the local chat.
/// </summary>
/// <remarks>
/// A refused activity throws <see cref="ActivityRefusedException"/>, which ends the turn before anything of it is processed;
/// the endpoint answers it. The SDK's own proactive turns on this adapter (the outbox's deliveries and 1:1 conversations,
/// <see cref="BotFrameworkChannelClient"/>) are not a request: they pass through untouched.
/// </remarks>
public sealed partial class BotFrameworkAdmission(
    ServiceUrlPolicy serviceUrls,
    IOptions<BotFrameworkOptions> options,
    IOptions<TurnOptions> turnOptions,
    TimeProvider time,
    Microsoft.Bot.Builder.IBot bot,
    ILogger<BotFrameworkAdmission> logger) : IMiddleware
{
    private readonly BotFrameworkOptions _settings = options.Value;
    private readonly HashSet<string> _channels = new(options.Value.EffectiveChannelIds, StringComparer.Ordinal);
    private readonly int _maxTextLength = turnOptions.Value.MaxTextLength;

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken)
    {
        if (!IsRequestTurn(turnContext))
        {
            await next(cancellationToken).ConfigureAwait(false);
            return;
        }

        var activity = turnContext.Activity;
        Admit(activity);

        if (activity.Type == ActivityTypes.Invoke)
        {
            // No invoke is handled: buttons are Action.Submit, which arrives as a message. The adapter answers an invoke
            // nobody answered with 501, as the protocol says (A.2.3).
            LogInvokeNotImplemented(activity.Name ?? "");
            return;
        }

        var inbound = ActivityMapper.ToInbound(activity, time.GetUtcNow(), _maxTextLength, authenticated: _settings.AuthenticationEnabled);
        if (inbound is null)
        {
            LogIgnored(activity.Type, activity.ChannelId ?? "");
            return;
        }

        LogReceived(inbound.Id, inbound.Channel, inbound.Conversation.ConversationId, inbound.Text);
        var turn = new ResidentTurn(inbound);
        turn.AttachTo(turnContext);
        await next(cancellationToken).ConfigureAwait(false);
        LogProcessed(inbound.Id, turn.Outcome);
    }

    /// <summary>
    /// True for the turn of a request to <c>/api/messages</c>: the SDK keeps the turn's callback in its state, and only
    /// the endpoint's turns run the product bot (the one the endpoint hands
    /// <c>ProcessAsync</c>); a proactive turn runs the callback of whoever started it.
    /// </summary>
    private bool IsRequestTurn(ITurnContext turnContext) =>
        ReferenceEquals(turnContext.TurnState.Get<BotCallbackHandler>()?.Target, bot);

    /// <summary>
    /// The rules of this endpoint, in order: a usable activity with bounded ids (400); only the Bot Framework channels in
    /// <see cref="BotFrameworkOptions.ChannelIds"/>, so that WeCom, the local chat and the console are spoken for only by
    /// their own endpoints (403); replies only to a service URL <see cref="ServiceUrlPolicy"/> allows, which for an
    /// authenticated activity the SDK has already matched to its token's <c>serviceurl</c> claim (403).
    /// </summary>
    private void Admit(Activity activity)
    {
        if (ActivityMapper.FindProblem(activity) is { } problem)
        {
            throw ActivityRefusedException.BadRequest(problem, activity.ChannelId);
        }

        if (activity.ChannelId is { Length: > 0 } channelId && !_channels.Contains(channelId))
        {
            throw ActivityRefusedException.Forbidden(
                "a channel this endpoint does not serve",
                "Channel not served here",
                "/api/messages takes activities of the Bot Framework channels configured in BotFramework:ChannelIds only.",
                channelId);
        }

        if (activity.Type is (ActivityTypes.Message or ActivityTypes.ConversationUpdate) && !serviceUrls.Allows(activity.ServiceUrl))
        {
            throw ActivityRefusedException.Forbidden(
                "a serviceUrl host that is not allowed",
                "Service URL not allowed",
                _settings.AuthenticationEnabled
                    ? "The activity's serviceUrl is not on a host in BotFramework:ServiceHosts."
                    : "Without authentication the activity's serviceUrl must be on this machine or in BotFramework:UnauthenticatedServiceHosts.",
                activity.ChannelId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Invoke {InvokeName} is not implemented; answered 501")]
    private partial void LogInvokeNotImplemented(string invokeName);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a {ActivityType} activity from {ChannelId}")]
    private partial void LogIgnored(string activityType, string channelId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Activity {MessageId} in {Channel} conversation {ConversationId}: {Text}")]
    private partial void LogReceived(string messageId, string channel, string conversationId, string text);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Activity {MessageId} processed: {Outcome}")]
    private partial void LogProcessed(string messageId, TurnOutcome outcome);
}
