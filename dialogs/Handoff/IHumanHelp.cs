using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Dialogs.Handoff;

/// <summary>Passes a resident's request for a person (人工) to the office; bot/ implements it.</summary>
public interface IHumanHelp
{
    Task RequestAsync(HelpRequest request, CancellationToken cancellationToken);
}

/// <summary>A resident asked for a person; <see cref="Question"/> is what they were asking about, if known.</summary>
public sealed record HelpRequest(ConversationReference From, string Question, DateTimeOffset At);
