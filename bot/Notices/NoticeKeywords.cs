namespace CommunityBot.Notices;

/// <summary>
/// Default topic words for a notice, from its category and title, so that staff rarely have to type any: a
/// 水电气暖 notice titled "停水通知" gets 停水/没水/不出水/来水 …, one titled "停电检修" gets 停电/没电/来电 ….
/// </summary>
public static class NoticeKeywords
{
    // Utilities are split by what is cut off: a 停水 notice must not answer "停电了吗".
    private static readonly (string[] Triggers, string[] Words)[] Utilities =
    [
        (["水"], ["停水", "没水", "不出水", "断水", "水压", "水小", "来水", "供水"]),
        (["电"], ["停电", "没电", "断电", "来电", "供电", "跳闸"]),
        (["气"], ["停气", "没气", "燃气", "天然气", "煤气", "供气", "打不着火"]),
        (["暖"], ["暖气", "供暖", "不热", "停暖"]),
    ];

    private static readonly Dictionary<string, string[]> ByCategory = new(StringComparer.Ordinal)
    {
        ["物业管理"] = ["电梯", "停梯", "门禁"],
        ["市政管养"] = ["施工", "封路", "修路", "路灯", "井盖"],
        ["市容环卫"] = ["垃圾清运", "垃圾", "保洁"],
        ["交通停车"] = ["封路", "禁停", "停车", "绕行"],
        ["环境保护"] = ["施工", "噪音", "消杀"],
        ["消防安全"] = ["消防", "演练", "消防通道"],
    };

    /// <summary>The defaults for <paramref name="category"/> and <paramref name="title"/>; may be empty (then staff must add some).</summary>
    public static IReadOnlyList<string> Defaults(string category, string title)
    {
        if (category == "水电气暖")
        {
            return Utilities.Where(u => u.Triggers.Any(title.Contains)).SelectMany(u => u.Words).Distinct(StringComparer.Ordinal).ToList();
        }

        return ByCategory.TryGetValue(category, out var words) ? words : [];
    }

    /// <summary>Splits what staff typed ("停水，没水 水压") into words.</summary>
    public static IReadOnlyList<string> Parse(string text) =>
        text.Split([',', '，', '、', ';', '；', ' ', '　', '\n', '\r', '\t'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
