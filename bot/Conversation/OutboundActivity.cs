using CommunityBot.Dialogs.Conversation;
using Microsoft.Bot.Schema;
using SdkCardAction = Microsoft.Bot.Schema.CardAction;

namespace CommunityBot.Conversation;

/// <summary>
/// Converts between the dialogs' <see cref="OutboundMessage"/> and the <see cref="Activity"/> a turn sends. The activity
/// carries the message itself in <see cref="Activity.Value"/> (in process only: a turn's sends are captured into the
/// outbox and never serialised), so what reaches the outbox is exactly what the dialogs made, whatever a channel client
/// later renders of it; an activity made elsewhere (a plain <c>SendActivityAsync("…")</c>) is read from its text and
/// suggested actions.
/// </summary>
public static class OutboundActivity
{
    public static Activity ToActivity(OutboundMessage message)
    {
        var activity = new Activity(ActivityTypes.Message) { Text = message.Text, Value = message };
        if (message.Buttons.Count > 0)
        {
            activity.SuggestedActions = new SuggestedActions
            {
                Actions = message.Buttons.Select(b => new SdkCardAction(ActionTypes.ImBack, b.Title, value: b.Value)).ToList(),
            };
        }

        return activity;
    }

    /// <summary>The message an activity stands for, or null for one that is not a message (typing, an event).</summary>
    public static OutboundMessage? ToMessage(Activity activity)
    {
        if (activity.Value is OutboundMessage message)
        {
            return message;
        }

        if (activity.Type != ActivityTypes.Message)
        {
            return null;
        }

        var buttons = activity.SuggestedActions?.Actions?
            .Select(a => new Dialogs.Conversation.CardAction(a.Title ?? "", a.Value?.ToString() ?? a.Title ?? ""))
            .ToList() ?? [];
        return new OutboundMessage { Text = activity.Text ?? "", Buttons = buttons };
    }
}
