namespace CommunityBot.Channels.BotFramework;

/// <summary>The activity <c>type</c> values this adapter distinguishes (the spec has more; the rest are acknowledged and ignored).</summary>
public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string Invoke = "invoke";
}
