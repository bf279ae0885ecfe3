using CommunityBot.Dialogs.Understanding;

namespace CommunityBot.Understanding.Nlu;

/// <summary>
/// A keyword fallback for the few seconds before the models are ready: status questions about one's tickets and
/// obvious problem words are recognised; everything else is left to the FAQ matcher.
/// </summary>
public static class IntentRules
{
    private static readonly string[] StatusWords = ["工单", "进度", "办到哪", "到哪了", "处理得怎么样", "有结果了吗", "受理了吗", "我的投诉", "我的报修", "我反映的"];

    private static readonly string[] GrievanceWords =
    [
        "投诉", "举报", "报修", "反映", "坏了", "漏水", "堵了", "没人管", "吵", "噪音", "扰民", "臭", "乱扔", "乱停", "占道",
        "不热", "停水", "没水", "没电", "跳闸", "渗水", "裂缝", "脱落", "塌", "偷", "被盗", "打架", "诈骗", "油烟", "违建",
    ];

    // Symptoms, not actions: "报修电话是多少" and "怎么投诉" are questions, "暖气不热怎么办" is a complaint.
    private static readonly string[] ProblemWords =
    [
        "坏了", "坏掉", "漏水", "渗水", "堵了", "不通", "不热", "不亮", "不出水", "停水", "没水", "停电", "没电", "跳闸", "停气",
        "没气", "打不着", "没人管", "没人收", "没人修", "不管", "吵", "噪音", "扰民", "臭", "乱停", "占了", "被占", "裂", "塌",
        "脱落", "被偷", "被盗", "丢了", "困人", "冒烟", "着火", "漏气", "煤气味", "燃气味", "油烟", "太脏",
    ];

    /// <summary>Whether the message names a problem the resident has (a symptom word), whatever its shape.</summary>
    public static bool NamesProblem(string text) => ProblemWords.Any(text.Contains);

    public static Intent Guess(string text)
    {
        if (StatusWords.Any(text.Contains))
        {
            return Intent.Status;
        }
        return GrievanceWords.Any(text.Contains) ? Intent.Grievance : Intent.Other;
    }
}
