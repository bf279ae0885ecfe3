namespace CommunityBot.Oversight;

/// <summary>A monthly ranking of grids or workers, with its red list (红榜) and black list (黑榜).</summary>
public sealed record Ranking(IReadOnlyList<RankingEntry> Entries, IReadOnlyList<RankingEntry> RedList, IReadOnlyList<RankingEntry> BlackList)
{
    /// <summary>
    /// Ranks by score, highest first; equal scores share a rank ("1, 2, 2, 4"). Units below the minimum volume or with
    /// no score are listed after the ranked ones without a rank. The red list is every ranked unit whose rank is at
    /// most N; the black list every ranked unit whose rank counted from the bottom is at most N, leaving out any unit
    /// already on the red list.
    /// </summary>
    public static Ranking Of(IEnumerable<UnitFigures> units, AssessmentOptions options)
    {
        var all = units.ToList();
        var ranked = all.Where(u => u.Volume >= options.MinimumVolume && u.Score is not null)
            .OrderByDescending(u => u.Score)
            .ThenByDescending(u => u.Volume)
            .ThenBy(u => u.Id, StringComparer.Ordinal)
            .ToList();
        var entries = new List<RankingEntry>(all.Count);
        for (var i = 0; i < ranked.Count; i++)
        {
            var rank = i > 0 && ranked[i].Score == ranked[i - 1].Score ? entries[i - 1].Rank : i + 1;
            // Rank from the bottom: one more than the number of units scoring strictly lower.
            var fromBottom = ranked.Count(u => u.Score < ranked[i].Score) + 1;
            entries.Add(new RankingEntry(rank, fromBottom, ranked[i]));
        }

        entries.AddRange(all.Except(ranked)
            .OrderByDescending(u => u.Volume)
            .ThenBy(u => u.Id, StringComparer.Ordinal)
            .Select(u => new RankingEntry(null, null, u)));
        var red = entries.Where(e => e.Rank <= options.RedListSize).ToList();
        var black = entries.Where(e => e.RankFromBottom <= options.BlackListSize && !red.Contains(e))
            .OrderBy(e => e.RankFromBottom)
            .ToList();
        return new Ranking(entries, red, black);
    }
}

/// <summary>One line of a ranking: rank (null when not ranked), the rank counted from the bottom, and the figures.</summary>
public sealed record RankingEntry(int? Rank, int? RankFromBottom, UnitFigures Figures);
