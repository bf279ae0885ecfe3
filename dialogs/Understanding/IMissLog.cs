namespace CommunityBot.Dialogs.Understanding;

/// <summary>Keeps questions the assistant could not answer, for the office to add to the knowledge base.</summary>
public interface IMissLog
{
    Task RecordAsync(FaqMiss miss, CancellationToken cancellationToken);
}

/// <summary>
/// A question the assistant could not answer directly. <see cref="BestId"/> is the closest entry the matcher found, if
/// any; with <see cref="Chosen"/> it is the entry the resident picked from "您是想问" — the resident's words are then a
/// phrasing that entry lacks (what the office adds so that the next such question is answered at once).
/// </summary>
public sealed record FaqMiss(string Text, string Channel, string ConversationId, DateTimeOffset At, string? BestId, double BestScore, bool Chosen = false);
