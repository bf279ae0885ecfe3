using System.Runtime.CompilerServices;
using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Oversight;

/// <summary>
/// The assessment's tickets on LiteDB: the "tickets" collection read through its CreatedAt index as raw documents. LiteDB
/// reads whole documents from its pages either way, and skipping the object mapper is what saves time (a LiteDB
/// projection of only the needed fields measured no faster: eval/README.md).
/// </summary>
public sealed class LiteDbAssessmentTickets(ILiteDatabase database) : IAssessmentTickets
{
    private readonly ILiteCollection<BsonDocument> _tickets = LiteDbCollections.Open(database, "tickets");

    /// <summary>The period's tickets, as <see cref="CreatedBetweenAsync"/> streams them (LiteDB reads synchronously).</summary>
    // One BETWEEN is one index range; LiteDB 5 would use the index for only one side of "a >= x AND a < y" and load
    // every later ticket to filter it. BETWEEN is inclusive, so a ticket created at exactly toUtc is dropped here.
    public IEnumerable<AssessedTicket> Read(DateTime fromUtc, DateTime toUtc) =>
        _tickets.Query()
            .Where("$.CreatedAt BETWEEN @0 AND @1", new BsonValue(fromUtc), new BsonValue(toUtc))
            .ToEnumerable()
            .Select(AssessedTicket.FromBson)
            .Where(t => t.CreatedAt < toUtc);

    public async IAsyncEnumerable<AssessedTicket> CreatedBetweenAsync(
        DateTime fromUtc, DateTime toUtc, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var ticket in Read(fromUtc, toUtc))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return ticket;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
