namespace CommunityBot.Faq;

/// <summary>
/// The knowledge base's entries by id, as the answers read them: every answered question and every suggestion a resident
/// picks looks its entry up here, so an implementation keeps them in memory. <see cref="FaqStore"/> is the one-process
/// LiteDB store; <see cref="Storage.Postgres.PostgresFaqIndex"/> is one instance's copy of the entries shared on PostgreSQL.
/// </summary>
public interface IFaqEntries
{
    /// <summary>The entry, as a copy the caller may change; null when there is none with <paramref name="id"/>.</summary>
    FaqEntry? Find(string id);
}
