using CommunityBot.Channels.WebChat;
using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Tickets;

/// <summary>Where the bot can talk privately with someone it met in a group, when the channel allows it.</summary>
public interface IPrivateChats
{
    /// <summary>The 1:1 conversation with <paramref name="member"/>'s user, or null when the channel cannot open one.</summary>
    ConversationReference? With(ConversationReference member);
}

/// <summary>
/// The local chat page has a private chat per user; Teams opens a 1:1 conversation through the Connector (the
/// reference has no conversation id yet, see BotFrameworkChannelClient.SendAsync). WeCom is left out: residents in WeCom
/// groups are usually external contacts, whom the corp's app cannot message.
/// </summary>
public sealed class PrivateChats : IPrivateChats
{
    public ConversationReference? With(ConversationReference member) => member.Channel switch
    {
        WebChatMapper.ChannelId => member with
        {
            ConversationId = WebChatDemo.PrivateConversationId(member.UserId),
            IsGroup = false,
            ReplyToId = null,
        },
        "msteams" when member.ServiceUrl is not null => member with { ConversationId = "", IsGroup = false, ReplyToId = null },
        _ => null,
    };
}
