using CommunityBot.Dialogs.Engine;
using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;

namespace CommunityBot.Conversation;

/// <summary>
/// The SDK's <see cref="PrivateConversationState"/> (one item per resident, <c>{channel}/conversations/{conversation}/users/{user}</c>)
/// over the turn's storage (<see cref="ITurnStorage"/>), holding the resident's dialog in one property, <see cref="DialogProperty"/>. A resident's
/// turn takes the key from the channel-neutral message (<see cref="ResidentTurn"/>), so it is the key a write from outside the
/// turn computes from the same conversation reference (<see cref="KeyOf"/>), whatever the channel's activity carries.
/// </summary>
public sealed class ResidentDialogState : PrivateConversationState
{
    /// <summary>The property of the resident's state item that holds their <see cref="DialogState"/>.</summary>
    public const string DialogProperty = "DialogState";

    public ResidentDialogState(ITurnStorage storage)
        : base(storage)
    {
        Dialog = CreateProperty<DialogState>(DialogProperty);
    }

    /// <summary>The resident's dialog, through the SDK's accessor (set, delete; a read is <see cref="ReadDialogAsync"/>).</summary>
    public IStatePropertyAccessor<DialogState> Dialog { get; }

    /// <summary>The storage key of one resident's state, as <see cref="PrivateConversationState"/> builds it.</summary>
    public static string KeyOf(string channel, string conversation, string user) => $"{channel}/conversations/{conversation}/users/{user}";

    /// <summary>The part of <see cref="KeyOf"/> shared by every resident of one conversation.</summary>
    public static string ConversationHeadOf(string channel, string conversation) => $"{channel}/conversations/{conversation}";

    /// <summary>
    /// The resident's dialog, or null when there is none. Unlike the accessor's <c>GetAsync</c> without a default, a missing
    /// property is no exception, and nothing is set: a turn that only reads its state writes nothing.
    /// </summary>
    public async Task<DialogState?> ReadDialogAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        await LoadAsync(turnContext, false, cancellationToken).ConfigureAwait(false);
        return GetCachedState(turnContext)?.State.TryGetValue(DialogProperty, out var value) == true ? ToDialog(value) : null;
    }

    /// <summary>True when the turn loaded a stored item that now holds nothing (its last property was deleted).</summary>
    public bool IsStoredAndEmpty(ITurnContext turnContext) =>
        GetCachedState(turnContext)?.State is StoredItem { Count: 0 };

    /// <summary>A <see cref="DialogProperty"/> value as read from storage (a JSON object) or as set in this turn.</summary>
    public static DialogState? ToDialog(object? value) => value switch
    {
        DialogState state => state,
        JObject json => json.ToObject<DialogState>(),
        _ => null,
    };

    protected override string GetStorageKey(ITurnContext turnContext) =>
        ResidentTurn.Of(turnContext)?.Message.Conversation is { } to
            ? KeyOf(to.Channel, to.ConversationId, to.UserId)
            : base.GetStorageKey(turnContext);
}
