namespace CommunityBot.Understanding.Ranking;

/// <summary>
/// Makes re-ranker training pairs from a knowledge base's own phrasings, so the model is trained on data the office
/// owns. Leave one phrasing out: the held-out phrasing is the message, its entry the right answer, the other
/// candidates wrong ones. Leave one entry out: a phrasing of an entry the index then lacks is the message and every
/// candidate is wrong, which is what a question the knowledge base cannot answer looks like.
/// </summary>
public static class RerankTraining
{
    /// <summary>
    /// Pairs from up to <paramref name="maxPhrasingQueries"/> held-out phrasings (of entries with two or more) and
    /// <paramref name="maxEntryQueries"/> held-out entries, chosen by a shuffle with <paramref name="seed"/>.
    /// </summary>
    public static List<RerankExample> Collect(FaqIndex index, int candidates, float learnedWeight, int maxPhrasingQueries, int maxEntryQueries, int seed = 1)
    {
        var examples = new List<RerankExample>();
        var random = new Random(seed);
        var order = Enumerable.Range(0, index.PhrasingCount).ToArray();
        random.Shuffle(order);

        var phrasingQueries = 0;
        var entriesSeen = new HashSet<string>(StringComparer.Ordinal);
        var entryQueries = 0;
        foreach (var p in order)
        {
            var entry = index.EntryOf(p);
            if (phrasingQueries < maxPhrasingQueries && index.PhrasingCountOf(entry) >= 2)
            {
                Add(examples, index, p, entry, index.Search(index.TextOf(p), candidates, learnedWeight, excludePhrasing: p));
                phrasingQueries++;
            }
            if (entryQueries < maxEntryQueries && entriesSeen.Add(entry))
            {
                Add(examples, index, p, entry, index.Search(index.TextOf(p), candidates, learnedWeight, excludeEntry: entry));
                entryQueries++;
            }
            if (phrasingQueries >= maxPhrasingQueries && entryQueries >= maxEntryQueries)
            {
                break;
            }
        }
        return examples;
    }

    /// <summary>
    /// Pairs from messages that are not in the index, each with the entry that answers it, e.g. an entry's other
    /// phrasings against an index of its main questions only (as in a knowledge base with one phrasing per entry).
    /// </summary>
    public static List<RerankExample> Collect(FaqIndex index, IEnumerable<(string Text, string EntryId)> messages, int candidates, float learnedWeight)
    {
        var examples = new List<RerankExample>();
        foreach (var (text, entry) in messages)
        {
            var query = index.Prepare(text);
            var hits = index.Search(query, candidates, learnedWeight);
            var features = RerankFeatures.Of(query, hits, index.TextOf);
            for (var i = 0; i < hits.Count; i++)
            {
                examples.Add(new RerankExample(features[i], hits[i].EntryId == entry));
            }
        }
        return examples;
    }

    private static void Add(List<RerankExample> examples, FaqIndex index, int query, string entry, List<FaqHit> hits)
    {
        var features = RerankFeatures.Of(index.TextOf(query), hits, index.TextOf);
        for (var i = 0; i < hits.Count; i++)
        {
            examples.Add(new RerankExample(features[i], hits[i].EntryId == entry));
        }
    }
}
