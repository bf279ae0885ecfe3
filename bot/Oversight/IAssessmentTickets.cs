namespace CommunityBot.Oversight;

/// <summary>
/// Where an assessment reads its tickets, on either storage provider (<see cref="LiteDbAssessmentTickets"/>,
/// <see cref="Storage.Postgres.PostgresAssessmentTickets"/>): for a period, only what <see cref="AssessmentService"/>
/// computes from, never the whole ticket.
/// </summary>
public interface IAssessmentTickets
{
    /// <summary>
    /// The tickets created from <paramref name="fromUtc"/> (inclusive) to <paramref name="toUtc"/> (exclusive), in creation
    /// order, streamed from one read.
    /// </summary>
    IAsyncEnumerable<AssessedTicket> CreatedBetweenAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken);
}
