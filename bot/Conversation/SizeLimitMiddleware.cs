using Microsoft.Bot.Builder;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;
using Microsoft.Extensions.Options;

namespace CommunityBot.Conversation;

/// <summary>
/// A message longer than <see cref="TurnOptions.MaxTextLength"/> gets a request to say it in shorter parts, and the bot
/// does not run (the reply is captured and committed like any other).
/// </summary>
public sealed class SizeLimitMiddleware(IOptions<TurnOptions> options) : IMiddleware
{
    private readonly int _maxTextLength = options.Value.MaxTextLength;

    public Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken)
    {
        if (ResidentTurn.Of(turnContext) is { } turn && turn.Message.Text.Length > _maxTextLength)
        {
            return turnContext.SendActivityAsync($"消息太长了（超过{_maxTextLength}字），请分几次简短地说。", cancellationToken: cancellationToken);
        }

        return next(cancellationToken);
    }
}
