using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Dialogs.Directory;

/// <summary>
/// Which compound (and community) a conversation is about: a group is tied to one in the console (群管理) or by the first
/// directory worker who speaks there; a private chat takes the tie of the resident's last group. bot/Broadcasts
/// implements it over the group registry.
/// </summary>
public interface IGroupPlaces
{
    /// <summary>The default place of what is said in <paramref name="conversation"/>; null when nothing is tied.</summary>
    GroupPlace? DefaultFor(ConversationReference conversation);

    /// <summary>
    /// When the sender of a group message is a directory worker and the group is tied to no compound yet, offers them
    /// privately (once per group and worker, never in front of the group) the directory's compounds to tie it to.
    /// </summary>
    Task OfferTieAsync(InboundMessage message, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Ties the group to the compound a worker picked (a button of <see cref="OfferTieAsync"/>): only a directory worker
    /// may, and only a group not tied yet (a tie is changed in the console). Returns what to tell them.
    /// </summary>
    Task<string> TieAsync(InboundMessage message, string groupKey, string compoundId, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>
/// A conversation's default place, the one reading of it that the intake and the FAQ's per-place answers share.
/// <see cref="CompoundId"/> is a directory compound, null for a group tied to a community only, whose compounds
/// <see cref="CommunityName"/> narrows the choice to (null when the directory has none there). <see cref="CommunityId"/>
/// is the tie's community (the compound's when the tie names none). <see cref="FromLastGroup"/>: a private chat's place,
/// taken from the resident's last group.
/// </summary>
public sealed record GroupPlace(
    string? CompoundId, string? CompoundName, string? CommunityName, bool FromLastGroup = false, string? CommunityId = null);
