namespace CommunityBot.Dialogs.Understanding;

/// <summary>Keeps questions the assistant could not answer, for the office to add to the knowledge base.</summary>
public interface IMissLog
{
    Task RecordAsync(FaqMiss miss, CancellationToken cancellationToken);
}

/// <summary>One unanswered question; <see cref="BestId"/> is the closest entry the matcher found, if any.</summary>
public sealed record FaqMiss(string Text, string Channel, string ConversationId, DateTimeOffset At, string? BestId, double BestScore);
