using CommunityBot.Dialogs.Handoff;
using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Handoff;

/// <summary>
/// Keeps residents' requests for a person (人工) for the office to follow up. Routing them to the grid
/// worker on duty comes with the ticket desk (issue #4); until then they wait here for staff.
/// </summary>
public sealed partial class HelpRequestStore(ILiteDatabase database, LiteDbWriter writer, ILogger<HelpRequestStore> logger) : IHumanHelp
{
    private readonly ILiteCollection<HelpRequestDocument> _requests = CreateCollection(database, logger);

    public async Task RequestAsync(HelpRequest request, CancellationToken cancellationToken)
    {
        var document = new HelpRequestDocument
        {
            Channel = request.From.Channel,
            ConversationId = request.From.ConversationId,
            UserId = request.From.UserId,
            UserName = request.From.UserName,
            Question = request.Question,
            At = request.At.UtcDateTime,
        };
        await writer.WriteAsync(_ => _requests.Insert(document));
        LogRequested(request.From.Channel, request.From.ConversationId);
    }

    /// <summary>Requests, newest first.</summary>
    public IReadOnlyList<HelpRequestDocument> Recent(int limit) =>
        _requests.Query().OrderByDescending(r => r.At).Limit(limit).ToList();

    private static ILiteCollection<HelpRequestDocument> CreateCollection(ILiteDatabase database, ILogger logger)
    {
        var collection = LiteDbCollections.Open<HelpRequestDocument>(database, "help_requests");
        LiteDbIndexes.Ensure(database, collection, logger, ("At", "$.At"));
        return collection;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resident asked for a person in {Channel} conversation {ConversationId}")]
    private partial void LogRequested(string channel, string conversationId);
}

/// <summary>A stored request for a person.</summary>
public sealed class HelpRequestDocument
{
    /// <summary>LiteDB's id; on PostgreSQL the row's identity is the id, and the document does not carry this one.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ObjectId Id { get; set; } = ObjectId.NewObjectId();
    public string Channel { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string UserName { get; set; } = "";
    public string Question { get; set; } = "";
    public DateTime At { get; set; }
}
