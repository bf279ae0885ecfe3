namespace CommunityBot.Dialogs.Conversation;

/// <summary>The conversation logic the pipeline runs once per inbound message.</summary>
public interface IBot
{
    Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken);
}
