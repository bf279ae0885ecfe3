using System.Globalization;
using MiniExcelLibs;

namespace CommunityBot.Oversight;

/// <summary>Every table of an <see cref="AssessmentResult"/> as one .xlsx workbook, a sheet per table, Chinese headers.</summary>
public static class AssessmentWorkbook
{
    public const string UnitsSheet = "单位考核";
    public const string WorkersSheet = "网格员考核";
    public const string GridRankingSheet = "网格排名";
    public const string WorkerRankingSheet = "网格员排名";
    public const string ListsSheet = "红黑榜";
    public const string TimesSheet = "时长分布";
    public const string ByDaySheet = "每日件数";
    public const string ByCategorySheet = "分类件数";

    /// <summary>Every sheet's name, in the workbook's order.</summary>
    public static IReadOnlyList<string> SheetNames { get; } =
        [UnitsSheet, WorkersSheet, GridRankingSheet, WorkerRankingSheet, ListsSheet, TimesSheet, ByDaySheet, ByCategorySheet];

    /// <summary>Writes the whole workbook, or only the sheet named <paramref name="onlySheet"/> (one of <see cref="SheetNames"/>).</summary>
    public static void Write(Stream stream, AssessmentResult result, string? onlySheet = null)
    {
        var sheets = new Dictionary<string, object>
        {
            [UnitsSheet] = result.Units.Select(FiguresRow).ToList(),
            [WorkersSheet] = result.Workers.Select(FiguresRow).ToList(),
            [GridRankingSheet] = result.GridRanking.Entries.Select(RankingRow).ToList(),
            [WorkerRankingSheet] = result.WorkerRanking.Entries.Select(RankingRow).ToList(),
            [ListsSheet] = Lists(result).ToList(),
            [TimesSheet] = Times("响应时长", result.ResponseTimes).Concat(Times("办结时长", result.ClosingTimes)).ToList(),
            [ByDaySheet] = result.ByDay.Select(d => Row(("日期", d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("件数", d.Volume))).ToList(),
            [ByCategorySheet] = result.ByCategory.Select(c => Row(("类别", c.Category), ("件数", c.Volume))).ToList(),
        };
        if (onlySheet is not null)
        {
            sheets = new Dictionary<string, object> { [onlySheet] = sheets[onlySheet] };
        }

        MiniExcel.SaveAs(stream, sheets, excelType: ExcelType.XLSX);
    }

    /// <summary>The level's Chinese name, as the sheets show it.</summary>
    public static string Chinese(AssessmentLevel level) => level switch
    {
        AssessmentLevel.Street => "街道",
        AssessmentLevel.Community => "社区",
        AssessmentLevel.Grid => "网格",
        _ => "网格员",
    };

    private static Dictionary<string, object?> FiguresRow(UnitFigures u) => Row(
        ("层级", Chinese(u.Level)), ("编号", u.Id), ("名称", u.Name), ("上级", u.Parent), ("件数", u.Volume),
        ("响应率%", Percent(u.ResponseRate)), ("解决率%", Percent(u.SolvedRate)), ("满意率%", Percent(u.SatisfiedRate)),
        ("及时签收率%", Percent(u.TimelySignRate)), ("按时办结率%", Percent(u.OnTimeCloseRate)),
        ("重办率%", Percent(u.ReopenRate)), ("回退率%", Percent(u.ReturnRate)), ("综合得分", u.Score),
        ("响应时长中位数(分钟)", Round(u.ResponseMedianMinutes)), ("响应时长P90(分钟)", Round(u.ResponseP90Minutes)),
        ("办结时长中位数(小时)", Round(u.ClosingMedianHours)), ("办结时长P90(小时)", Round(u.ClosingP90Hours)),
        ("已响应", u.Responded), ("应签收", u.SignDue), ("及时签收", u.SignedOnTime), ("应办结", u.CloseDue), ("按时办结", u.ClosedOnTime),
        ("办结过", u.Closed), ("重办", u.Reopened), ("回退", u.Returned), ("评价", u.Feedback), ("已解决", u.Fixed), ("满意", u.Satisfied));

    private static Dictionary<string, object?> RankingRow(RankingEntry e) => Row(
        ("名次", e.Rank), ("编号", e.Figures.Id), ("名称", e.Figures.Name), ("上级", e.Figures.Parent), ("件数", e.Figures.Volume),
        ("综合得分", e.Figures.Score), ("说明", e.Rank is null ? "件数不足或无可评指标，不参与排名" : ""));

    private static IEnumerable<Dictionary<string, object?>> Lists(AssessmentResult result)
    {
        foreach (var (list, kind, entries) in new[]
        {
            ("红榜", "网格", result.GridRanking.RedList), ("黑榜", "网格", result.GridRanking.BlackList),
            ("红榜", "网格员", result.WorkerRanking.RedList), ("黑榜", "网格员", result.WorkerRanking.BlackList),
        })
        {
            foreach (var e in entries)
            {
                yield return Row(("榜单", list), ("对象", kind), ("名次", e.Rank), ("编号", e.Figures.Id), ("名称", e.Figures.Name),
                    ("件数", e.Figures.Volume), ("综合得分", e.Figures.Score));
            }
        }
    }

    private static IEnumerable<Dictionary<string, object?>> Times(string what, TimeDistribution distribution)
    {
        yield return Row(("指标", what), ("区间", "中位数(小时)"), ("值", Round(distribution.Median?.TotalHours)));
        yield return Row(("指标", what), ("区间", "P90(小时)"), ("值", Round(distribution.P90?.TotalHours)));
        foreach (var bucket in distribution.Buckets)
        {
            yield return Row(("指标", what), ("区间", bucket.Label), ("值", bucket.Count));
        }
    }

    private static double? Percent(double? rate) => rate is { } r ? Math.Round(100 * r, 2, MidpointRounding.AwayFromZero) : null;

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1, MidpointRounding.AwayFromZero) : null;

    private static Dictionary<string, object?> Row(params (string Header, object? Value)[] cells)
    {
        var row = new Dictionary<string, object?>(cells.Length, StringComparer.Ordinal);
        foreach (var (header, value) in cells)
        {
            row[header] = value;
        }

        return row;
    }
}
