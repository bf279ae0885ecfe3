namespace CommunityBot.Metrics;

/// <summary>The ticket events counted by <see cref="BotMetrics"/>.</summary>
public enum TicketMetric
{
    Opened,
    /// <summary>办结 by the handler.</summary>
    Closed,
    /// <summary>Up the ladder after a missed deadline, or to a person after an unanswered take-over.</summary>
    Escalated,
}
