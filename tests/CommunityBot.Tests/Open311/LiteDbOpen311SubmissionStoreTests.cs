using CommunityBot.Open311;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Open311;

/// <summary>The Open311 extras contract (<see cref="Open311SubmissionStoreContractTests"/>) on LiteDB's <see cref="Open311SubmissionStore"/>, an in-memory LiteDB per test.</summary>
public sealed class LiteDbOpen311SubmissionStoreTests : Open311SubmissionStoreContractTests
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly Open311SubmissionStore _submissions;

    public LiteDbOpen311SubmissionStoreTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _submissions = new Open311SubmissionStore(_database);
    }

    public override Task DisposeAsync()
    {
        _writer.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    protected override Task InsertAsync(Open311Submission submission) => _writer.WriteAsync(_ => _submissions.InsertInWrite(submission));

    protected override Task<Open311Submission?> FindAsync(string ticketNumber) => Task.FromResult(_submissions.Find(ticketNumber));
}
