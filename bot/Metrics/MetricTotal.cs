namespace CommunityBot.Metrics;

/// <summary>One total since start: a figure (turns, deliveries, tickets, faq), its channel ("" for tickets) and outcome.</summary>
public sealed record MetricTotal(string Figure, string Channel, string Outcome, long Value);
