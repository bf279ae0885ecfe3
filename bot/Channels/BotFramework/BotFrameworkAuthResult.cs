namespace CommunityBot.Channels.BotFramework;

/// <summary>Whether an incoming request may be processed, and if not, why (for the log; never sent to the caller).</summary>
public sealed record BotFrameworkAuthResult(bool Succeeded, string? Failure)
{
    public static readonly BotFrameworkAuthResult Success = new(true, null);

    public static BotFrameworkAuthResult Fail(string reason) => new(false, reason);
}
