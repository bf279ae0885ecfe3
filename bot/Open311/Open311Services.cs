namespace CommunityBot.Open311;

/// <summary>
/// The service list: the grid's default categories (<see cref="Dialogs.Grievance.GrievanceCategories.Default"/>)
/// under stable ASCII service codes. Codes are part of the public API: never rename one; add new ones. The list in <see cref="All"/> is the documented mapping
/// (property = 物业管理, environment = 环境保护, … other = 其他); the README repeats it.
/// </summary>
public static class Open311Services
{
    public const string OtherCode = "other";

    public static IReadOnlyList<Open311Service> All { get; } =
    [
        new("property", "物业管理", "物业服务、电梯、门禁、公共设施维修等问题", "居住", ["物业", "电梯", "门禁", "维修"]),
        new("environment", "环境保护", "噪音、油烟、异味、污水等环境问题", "环境", ["噪音", "油烟", "扰民", "污染"]),
        new("sanitation", "市容环卫", "垃圾清运、占道经营、乱贴乱画等市容问题", "环境", ["垃圾", "占道", "卫生"]),
        new("utilities", "水电气暖", "停水、停电、燃气、供暖问题", "民生保障", ["停水", "停电", "燃气", "暖气"]),
        new("municipal", "市政管养", "道路破损、路灯、井盖、排水等市政设施问题", "市政", ["道路", "路灯", "井盖", "积水"]),
        new("traffic", "交通停车", "乱停车、占用消防通道、交通秩序问题", "市政", ["停车", "车位", "交通"]),
        new("neighbours", "邻里纠纷", "邻里之间的矛盾纠纷", "社会治理", ["邻里", "纠纷", "调解"]),
        new("housing", "楼盘房屋", "房屋漏水、墙体开裂、违建等房屋问题", "居住", ["漏水", "违建", "房屋"]),
        new("fire-safety", "消防安全", "消防隐患、电动车违规充电、堵塞通道等安全问题", "安全", ["消防", "充电", "隐患"]),
        new("public-security", "治安民警", "治安隐患、可疑人员等需要民警处理的问题", "安全", ["治安", "民警", "报警"]),
        new("market", "市场监管", "商铺经营、食品安全、价格等市场问题", "社会治理", ["商铺", "食品", "价格"]),
        new("social-affairs", "社会事务", "养老、救助、残疾人服务、证明办理等社会事务", "民生保障", ["养老", "救助", "低保", "证明"]),
        new(OtherCode, "其他", "其他问题", "其他", ["其他"]),
    ];

    private static readonly Dictionary<string, Open311Service> ByCode = All.ToDictionary(s => s.Code, StringComparer.OrdinalIgnoreCase);
    private static readonly Dictionary<string, Open311Service> ByCategory = All.ToDictionary(s => s.Category, StringComparer.Ordinal);

    public static Open311Service? FindByCode(string code) => ByCode.GetValueOrDefault(code.Trim());

    /// <summary>The service of a ticket's category; a category outside the default taxonomy is reported as "other".</summary>
    public static Open311Service ForCategory(string category) => ByCategory.GetValueOrDefault(category) ?? ByCode[OtherCode];
}
