namespace CommunityBot.Bench;

/// <summary>A Connector stand-in on loopback that accepts every reply the bot posts and counts them.</summary>
public sealed class FakeConnector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _received;

    public FakeConnector(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v3/conversations/{conversationId}/activities/{activityId}", () =>
        {
            Interlocked.Increment(ref _received);
            return Results.Json(new { id = Guid.NewGuid().ToString("N") });
        });
        _app.MapPost("/v3/conversations/{conversationId}/activities", () =>
        {
            Interlocked.Increment(ref _received);
            return Results.Json(new { id = Guid.NewGuid().ToString("N") });
        });
        ServiceUrl = $"http://127.0.0.1:{port}/";
    }

    public string ServiceUrl { get; }

    public long Received => Interlocked.Read(ref _received);

    public Task StartAsync() => _app.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
