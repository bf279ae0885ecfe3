namespace CommunityBot.Understanding.Extractors;

/// <summary>Which extractors read times, durations, phones and counts (places are always ours, against the directory).</summary>
public enum DetailEngine
{
    /// <summary>
    /// The shipped default: our rules first, and Microsoft.Recognizers.Text for a time or phone they do not find
    /// (holidays, years, "最近一周", "近两年", "每个月", "+86 371 …"), behind our vetoes; durations and counts are ours. Each field's order is the
    /// outcome of the table tests run both ways (eval/README.md, "Chinese details through Microsoft.Recognizers.Text").
    /// </summary>
    Combined,

    /// <summary>Our rules only: no recognizer model is ever built (saves their start-up and memory).</summary>
    Ours,

    /// <summary>The recognizers alone, for evaluation: fails table rows that residents write every day.</summary>
    Recognizers,
}
