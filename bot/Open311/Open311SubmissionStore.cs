using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Open311;

/// <summary>The <see cref="Open311Submission"/>s, one per ticket filed through the API.</summary>
public sealed class Open311SubmissionStore
{
    private readonly ILiteCollection<Open311Submission> _submissions;
    public Open311SubmissionStore(ILiteDatabase database)
    {
        _submissions = LiteDbCollections.Open<Open311Submission>(database, "open311_submissions");
    }

    public Open311Submission? Find(string ticketNumber) => _submissions.FindById(ticketNumber);

    /// <summary>
    /// Stores the submission unless the ticket already has one. Call it only inside a <see cref="LiteDbWriter"/> write
    /// (the ticket's own, see <c>TicketDesk.FileAsync</c>), so the ticket and its extras commit together.
    /// </summary>
    public void InsertInWrite(Open311Submission submission)
    {
        if (_submissions.FindById(submission.TicketNumber) is null)
        {
            _submissions.Insert(submission);
        }
    }
}
