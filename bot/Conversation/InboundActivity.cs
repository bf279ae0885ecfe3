using CommunityBot.Dialogs.Conversation;
using Microsoft.Bot.Schema;

namespace CommunityBot.Conversation;

/// <summary>
/// The <see cref="Activity"/> a channel of ours (WeCom, the local chat) hands the SDK pipeline for an inbound message: the
/// ids, conversation, sender, bot, text and time in the Bot Framework's shape, so that middleware reading the activity
/// (state keys, a transcript logger) works on every channel; the message itself rides along in the turn's state
/// (<see cref="ResidentTurn"/>). No locale is set: the SDK would switch the thread's culture for it on every turn.
/// </summary>
public static class InboundActivity
{
    public static Activity From(InboundMessage message)
    {
        var to = message.Conversation;
        var type = message.Kind switch
        {
            InboundKind.BotAdded => ActivityTypes.ConversationUpdate,
            InboundKind.Event => ActivityTypes.Event,
            _ => ActivityTypes.Message,
        };
        return new Activity(type)
        {
            Id = message.Id,
            ChannelId = to.Channel,
            Conversation = new ConversationAccount(isGroup: to.IsGroup, id: to.ConversationId, tenantId: to.TenantId),
            From = new ChannelAccount(to.UserId, to.UserName),
            Recipient = new ChannelAccount(to.BotId, to.BotName),
            ServiceUrl = to.ServiceUrl,
            Text = message.Text,
            Name = message.EventName,
            // An event's data as the activity's value (JSON, as a Bot Framework event carries it); a button's value otherwise.
            Value = message.Kind == InboundKind.Event ? EventValue(message.EventValue) : message.ButtonValue,
            Timestamp = message.Timestamp,
        };
    }

    /// <summary>The event's JSON as the activity's value; text that is no JSON stays text (the bot decides what it means).</summary>
    private static object? EventValue(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return Newtonsoft.Json.Linq.JToken.Parse(json);
        }
        catch (Newtonsoft.Json.JsonReaderException)
        {
            return json;
        }
    }
}
