using CommunityBot.Tests.Harness;
using Microsoft.Extensions.Logging;

namespace CommunityBot.Tests.Channels.BotFramework;

/// <summary>Hands one <see cref="CollectingLogger{T}"/> to every category of a host.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    public CollectingLogger<CollectingLoggerProvider> Logger { get; } = new();

    public ILogger CreateLogger(string categoryName) => Logger;

    public void Dispose()
    {
    }
}
