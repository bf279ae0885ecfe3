namespace CommunityBot.Dialogs.Grievance;

/// <summary>The grid's default work areas (the taxonomy residents pick from when the assistant is unsure).</summary>
public static class GrievanceCategories
{
    public static IReadOnlyList<string> Default { get; } =
    [
        "物业管理", "环境保护", "市容环卫", "水电气暖", "市政管养", "交通停车", "邻里纠纷",
        "楼盘房屋", "消防安全", "治安民警", "市场监管", "社会事务", "其他",
    ];
}
