namespace CommunityBot.Dialogs.Understanding;

/// <summary>What the assistant did with a resident's question.</summary>
public enum FaqOutcome
{
    /// <summary>Answered from a knowledge-base entry (also a question-shaped complaint answered with the offer to report).</summary>
    Answered,
    /// <summary>Offered "您是想问：" choices.</summary>
    Suggested,
    /// <summary>Said honestly that it does not know (the question is kept for the knowledge base).</summary>
    Missed,
}
