namespace CommunityBot.Storage;

/// <summary>What part of the shared knowledge an edit changed, so an instance drops only the in-memory copies built from it.</summary>
public enum KnowledgeTopic
{
    Directory,
    Faq,
    Notices,
    /// <summary>The office's holiday calendar (the working days the deadlines count).</summary>
    Holidays,
}
