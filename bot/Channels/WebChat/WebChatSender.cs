namespace CommunityBot.Channels.WebChat;

/// <summary>Who wrote a message kept in the web chat mailbox.</summary>
public enum WebChatSender
{
    User,
    Bot,
}
