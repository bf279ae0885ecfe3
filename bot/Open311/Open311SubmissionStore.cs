using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Open311;

/// <summary>The <see cref="Open311Submission"/>s, one per ticket filed through the API.</summary>
public sealed class Open311SubmissionStore
{
    private readonly ILiteCollection<Open311Submission> _submissions;
    private readonly LiteDbWriter _writer;

    public Open311SubmissionStore(ILiteDatabase database, LiteDbWriter writer)
    {
        _writer = writer;
        _submissions = LiteDbCollections.Open<Open311Submission>(database, "open311_submissions");
    }

    public Open311Submission? Find(string ticketNumber) => _submissions.FindById(ticketNumber);

    /// <summary>Stores the submission unless the ticket already has one (a POST that joined an open ticket as +1).</summary>
    public Task AddAsync(Open311Submission submission) => _writer.WriteAsync(_ =>
    {
        if (_submissions.FindById(submission.TicketNumber) is null)
        {
            _submissions.Insert(submission);
        }
    });
}
