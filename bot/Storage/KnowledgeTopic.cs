namespace CommunityBot.Storage;

/// <summary>What part of the knowledge an edit changed, so an instance drops only the in-memory copies built from it.</summary>
public enum KnowledgeTopic
{
    Directory,
    Faq,
    Notices,
}
