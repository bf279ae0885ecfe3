using CommunityBot.Dialogs.Conversation;
using Microsoft.Bot.Builder;

namespace CommunityBot.Conversation;

/// <summary>
/// A resident's turn as the middleware and <see cref="ConversationBot"/> see it, kept in the SDK turn's
/// <see cref="ITurnContext.TurnState"/>: the channel-neutral message the channel read from its payload, the time the turn
/// took it, the replies captured from the turn's sends, and the outcome. A turn without one (an outbox delivery through
/// the SDK's <c>ContinueConversationAsync</c>, an invoke, an activity nobody reads) passes every middleware untouched.
/// A proactive turn (<see cref="Proactive"/>) is a resident's turn too: their lock, their state, one commit.
/// </summary>
public sealed class ResidentTurn(InboundMessage message)
{
    private readonly List<OutboundMessage> _replies = [];

    public InboundMessage Message { get; } = message;

    /// <summary>When the turn took the message (under the resident's lock); dialogs and the commit use this one time.</summary>
    public DateTimeOffset Now { get; internal set; }

    public TurnOutcome Outcome { get; internal set; } = TurnOutcome.Processed;

    /// <summary>
    /// A turn the bot runs itself (<see cref="ProactiveTurnRunner"/>): nobody is waiting on a channel, so a failure is
    /// not apologised for and committed but thrown to the runner, which retries the turn with nothing of it kept.
    /// </summary>
    public bool Proactive { get; init; }

    /// <summary>More to write in the turn's own commit (a proactive turn deletes its request there).</summary>
    public ITurnAlsoCommit? AlsoCommit { get; init; }

    /// <summary>The replies the turn sent, in order; they go into the outbox in the turn's own commit.</summary>
    public IReadOnlyList<OutboundMessage> Replies => _replies;

    /// <summary>True only while the commit middleware runs the adapter's <c>OnTurnError</c> for this turn.</summary>
    internal bool HandlingError { get; set; }

    public static ResidentTurn? Of(ITurnContext turnContext) => turnContext.TurnState.Get<ResidentTurn>();

    /// <summary>Puts this turn in <paramref name="turnContext"/>'s state, where the middleware finds it.</summary>
    public void AttachTo(ITurnContext turnContext) => turnContext.TurnState.Add(this);

    internal void Capture(OutboundMessage reply) => _replies.Add(reply);

    internal void ClearReplies() => _replies.Clear();
}
