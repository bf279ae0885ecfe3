namespace CommunityBot.Conversation;

/// <summary>What the pipeline did with one inbound message.</summary>
public enum TurnOutcome
{
    /// <summary>The turn ran; its replies are in the outbox.</summary>
    Processed,
    /// <summary>The same message id was seen before: nothing was done again.</summary>
    Duplicate,
    /// <summary>Not for the bot (a group message without @mention and no active dialog).</summary>
    Ignored,
    /// <summary>The turn failed; the resident got an apology and their dialog was cleared.</summary>
    Failed,
}
