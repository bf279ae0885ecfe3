using CommunityBot.Dialogs.Conversation;

namespace CommunityBot.Dialogs.Grievance;

/// <summary>What the intake dialog knows so far; pre-filled from the first message, completed by asking.</summary>
public sealed class GrievanceState
{
    public string? Category { get; set; }
    /// <summary>The categories offered when the assistant is unsure (best guesses first).</summary>
    public List<string> CategoryChoices { get; set; } = [];
    public string Description { get; set; } = "";
    public string? CompoundId { get; set; }
    public string? CompoundName { get; set; }
    public bool CompoundAsked { get; set; }
    public string? Building { get; set; }
    public string? Unit { get; set; }
    public string? Room { get; set; }
    public string? Landmark { get; set; }
    public bool PlaceAsked { get; set; }
    public string? When { get; set; }
    public bool PhotoAsked { get; set; }
    public List<InboundAttachment> Photos { get; set; } = [];
    public bool PhoneAsked { get; set; }
    public string? Phone { get; set; }
    /// <summary>True in a private chat, where personal details may be asked for.</summary>
    public bool Private { get; set; }

    /// <summary>The conversation's default compound (the group's, or in private the resident's last group's).</summary>
    public string? DefaultCompoundId { get; set; }
    public string? DefaultCompoundName { get; set; }
    /// <summary>The default community, which narrows the compounds offered (a group tied to a community only).</summary>
    public string? DefaultCommunity { get; set; }
    /// <summary>The default came from the resident's last group (a private chat), not from this conversation.</summary>
    public bool DefaultFromLastGroup { get; set; }
    /// <summary>The compound was taken from the default, not said: the summary says so.</summary>
    public bool CompoundAssumed { get; set; }
    /// <summary>The resident pressed 改位置: the default is offered first, not assumed again.</summary>
    public bool DefaultDeclined { get; set; }
}
