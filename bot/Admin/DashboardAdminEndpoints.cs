using System.Globalization;
using CommunityBot.Directory;
using CommunityBot.Oversight;

namespace CommunityBot.Admin;

/// <summary>
/// The month's figures for the office: the assessment rates per community and grid, volume by day and category as
/// charts (server-drawn SVG, no script), the grid ranking with its red and black lists, and the whole as XLSX.
/// Community staff see their own community and its grids; admin and street staff see everything.
/// </summary>
public static class DashboardAdminEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/dashboard", Page);
        group.MapGet("/dashboard/export", Export);
    }

    private static IResult Page(HttpContext http, AssessmentService assessment, GridDirectory directory, TimeProvider time, string? month)
    {
        if (!TryMonth(month, time, out var year, out var number))
        {
            return AdminLayout.Page(http, "考核看板", AdminLayout.Message("月份格式应为 2026-11。", error: true), StatusCodes.Status400BadRequest);
        }

        var user = AdminSession.From(http.User);
        var scope = Scope.Of(user, directory);
        var result = assessment.ComputeMonth(year, number);
        var units = result.Units.Where(u => scope.Sees(u)).ToList();
        var title = $"{year:0000}-{number:00}";
        var rows = Html.Join(units.Select(u => Html.Of($"""
            <tr><td>{LevelName(u.Level)}</td><td>{u.Name}</td><td>{u.Volume}</td><td>{Percent(u.ResponseRate)}</td><td>{Percent(u.SolvedRate)}</td>
            <td>{Percent(u.SatisfiedRate)}</td><td>{Percent(u.TimelySignRate)}</td><td>{Percent(u.OnTimeCloseRate)}</td><td>{Percent(u.ReopenRate)}</td><td>{Percent(u.ReturnRate)}</td></tr>
            """)));
        var byDay = SvgCharts.Bars(result.ByDay.Select(d => (d.Day.ToString("M/d", CultureInfo.InvariantCulture), (double)d.Volume)).ToList(), "每日工单量");
        var byCategory = SvgCharts.Bars(result.ByCategory.Select(c => (c.Category, (double)c.Volume)).ToList(), "按类别");
        var visibleGrids = result.GridRanking.Entries.Where(e => scope.Sees(e.Figures)).ToList();
        Html List(IEnumerable<RankingEntry> entries) => Html.Join(entries.Where(e => scope.Sees(e.Figures))
            .Select(e => Html.Of($"<li>第{e.Rank}名 {e.Figures.Name}（{e.Figures.Volume}件）</li>")));
        var body = Html.Of($"""
            <form method="get" action="/admin/dashboard" class="filters">
              <label>月份 <input name="month" value="{title}"></label>
              <button type="submit">查看</button>
              <a href="/admin/dashboard/export?month={title}">导出 XLSX</a>
            </form>
            <figure class="chart">{Html.Raw(byDay)}</figure>
            <figure class="chart">{Html.Raw(byCategory)}</figure>
            <h2>考核指标</h2>
            <div class="table-wrap"><table>
            <thead><tr><th>层级</th><th>单位</th><th>工单</th><th>响应率</th><th>解决率</th><th>满意率</th><th>及时签收率</th><th>按时办结率</th><th>重办率</th><th>回退率</th></tr></thead>
            <tbody>{rows}</tbody>
            </table></div>
            <h2>网格排名</h2>
            <p>参与排名 {visibleGrids.Count(e => e.Rank is not null)} 个网格（工单太少的不排名）。</p>
            <h3>红榜</h3><ol class="plain">{List(result.GridRanking.RedList)}</ol>
            <h3>黑榜</h3><ol class="plain">{List(result.GridRanking.BlackList)}</ol>
            """);
        return AdminLayout.Page(http, "考核看板 " + title, body);
    }

    private static IResult Export(HttpContext http, AssessmentService assessment, GridDirectory directory, TimeProvider time, string? month)
    {
        if (!TryMonth(month, time, out var year, out var number))
        {
            return Results.BadRequest("月份格式应为 2026-11。");
        }

        var user = AdminSession.From(http.User);
        var scope = Scope.Of(user, directory);
        var result = assessment.ComputeMonth(year, number);
        if (!user.SeesAllTickets)
        {
            result = result with
            {
                Units = result.Units.Where(u => scope.Sees(u)).ToList(),
                Workers = result.Workers.Where(u => scope.Sees(u)).ToList(),
            };
        }

        var stream = new MemoryStream();
        AssessmentWorkbook.Write(stream, result);
        stream.Position = 0;
        return Results.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"assessment-{year:0000}-{number:00}.xlsx");
    }

    /// <summary>Admin and street staff see every unit; community staff their community and what is under it.</summary>
    private sealed record Scope(bool All, string? CommunityId, string? CommunityName)
    {
        public static Scope Of(AdminSession user, GridDirectory directory) => new(
            user.SeesAllTickets,
            user.CommunityId,
            user.CommunityId is { } id ? directory.Current.Communities.GetValueOrDefault(id)?.Name : null);

        // A unit's Parent is its community's name (see AssessmentService).
        public bool Sees(UnitFigures unit) =>
            All || (CommunityId is not null && ((unit.Level == AssessmentLevel.Community && unit.Id == CommunityId)
                || (CommunityName is not null && unit.Parent == CommunityName)));
    }

    private static bool TryMonth(string? text, TimeProvider time, out int year, out int month)
    {
        if (string.IsNullOrEmpty(text))
        {
            var now = time.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
            (year, month) = (now.Year, now.Month);
            return true;
        }

        year = month = 0;
        if (!DateOnly.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        (year, month) = (parsed.Year, parsed.Month);
        return true;
    }

    private static string LevelName(AssessmentLevel level) => level switch
    {
        AssessmentLevel.Street => "街道",
        AssessmentLevel.Community => "社区",
        _ => "网格",
    };

    private static string Percent(double? rate) => rate is { } r ? (100 * r).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";
}
