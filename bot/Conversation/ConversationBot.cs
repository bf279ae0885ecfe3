using CommunityBot.Dialogs.Conversation;
using ISdkBot = Microsoft.Bot.Builder.IBot;
using ITurnContext = Microsoft.Bot.Builder.ITurnContext;

namespace CommunityBot.Conversation;

/// <summary>
/// The one Bot Builder <see cref="ISdkBot"/> of every channel: it runs the dialogs (<see cref="IBot"/>, the router) on the
/// turn's <see cref="ResidentTurn"/> and sends their replies with the SDK turn's <c>SendActivitiesAsync</c>, which the
/// commit middleware captures into the turn's outbox entries. A turn without a resident message does nothing.
/// </summary>
/// <remarks>
/// The dialogs keep their own <see cref="TurnContext"/> and <see cref="OutboundMessage"/>: they are plain records the
/// dialog tests build by the thousand, and the SDK's <c>ITurnContext</c> would bring the adapter into every dialog test
/// without changing a word a resident sees. This class is the one place the two meet.
/// </remarks>
public sealed partial class ConversationBot(IBot dialogs, ILogger<ConversationBot> logger) : ISdkBot
{
    public async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (ResidentTurn.Of(turnContext) is not { } resident)
        {
            return;
        }

        var inbound = resident.Message;
        LogTurn(inbound.Channel, inbound.Conversation.ConversationId, inbound.Text);
        var turn = new TurnContext(inbound, resident.Now);
        await dialogs.OnTurnAsync(turn, cancellationToken).ConfigureAwait(false);
        if (turn.Ignored)
        {
            resident.Outcome = TurnOutcome.Ignored;
        }

        if (turn.Replies.Count > 0)
        {
            var activities = new Microsoft.Bot.Schema.IActivity[turn.Replies.Count];
            for (var i = 0; i < activities.Length; i++)
            {
                activities[i] = OutboundActivity.ToActivity(turn.Replies[i]);
            }

            await turnContext.SendActivitiesAsync(activities, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Turn in {Channel} conversation {ConversationId}: {Text}")]
    private partial void LogTurn(string channel, string conversationId, string text);
}
