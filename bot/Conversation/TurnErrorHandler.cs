using System.Runtime.ExceptionServices;
using Microsoft.Bot.Builder;

namespace CommunityBot.Conversation;

/// <summary>
/// The adapters' <see cref="BotAdapter.OnTurnError"/> (core-bot's AdapterWithErrorHandler): for a resident's turn that
/// failed, log it, clear that resident's dialog state and send a short apology, never the exception. The commit middleware
/// runs it inside the turn (under the resident's lock), so the cleared state and the apology go into the turn's own commit
/// with its message id. Any other failure (a refused activity, an outbox delivery the Connector refused, a failed commit)
/// is thrown on to whoever started the turn: the endpoint answers it, the outbox retries, the channel re-delivers. So is
/// a failed proactive turn (<see cref="ResidentTurn.Proactive"/>): nobody asked for it, so its runner retries it instead.
/// </summary>
public sealed partial class TurnErrorHandler(BotStateDialogStore dialogs, ILogger<TurnErrorHandler> logger)
{
    public const string Apology = "抱歉，刚才出了点问题，请稍后再试。";

    public async Task OnTurnErrorAsync(ITurnContext turnContext, Exception exception)
    {
        if (ResidentTurn.Of(turnContext) is not { HandlingError: true } turn)
        {
            ExceptionDispatchInfo.Capture(exception).Throw();
            return;
        }

        LogTurnFailed(exception, turn.Message.Channel, turn.Message.Id);
        await dialogs.ClearTurnAsync(turnContext, CancellationToken.None).ConfigureAwait(false);
        await turnContext.SendActivityAsync(Apology).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Turn failed for {Channel} message {MessageId}")]
    private partial void LogTurnFailed(Exception exception, string channel, string messageId);
}
