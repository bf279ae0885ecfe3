using System.Globalization;
using CommunityBot.Directory;
using CommunityBot.Oversight;

namespace CommunityBot.Admin;

/// <summary>
/// The month's figures for the office: the seven assessment rates per street, community and grid; volume by day,
/// category and grid and the response and closing time distributions as charts (server-drawn SVG, no script); the
/// grid and worker rankings with their red and black lists; and every table as XLSX (one sheet, or the whole
/// workbook). Community staff see their own community — its volumes, its grids and people; admin and street staff see
/// the whole street or choose a community.
/// </summary>
public static class DashboardAdminEndpoints
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/dashboard", PageAsync);
        group.MapGet("/dashboard/export", ExportAsync);
    }

    private static async Task<IResult> PageAsync(
        HttpContext http, AssessmentService assessment, GridDirectory directory, TimeProvider time, string? month, string? community,
        CancellationToken cancellationToken)
    {
        if (!TryScope(http, directory, time, month, community, out var year, out var number, out var scope, out var problem))
        {
            return AdminLayout.Page(http, "考核看板", AdminLayout.Message(problem, error: true), StatusCodes.Status400BadRequest);
        }

        var result = await ViewAsync(assessment, year, number, scope, cancellationToken);
        var user = AdminSession.From(http.User);
        var query = $"month={Uri.EscapeDataString(result.Title)}" + (scope.CommunityId is { } c && user.SeesAllTickets ? $"&community={Uri.EscapeDataString(c)}" : "");
        Html Export(string sheet) => Html.Of($"""<a class="export" href="/admin/dashboard/export?{Html.Raw(query)}&amp;sheet={Uri.EscapeDataString(sheet)}">导出此表</a>""");

        var units = result.Units;
        var grids = units.Where(u => u.Level == AssessmentLevel.Grid).ToList();
        var charts = Html.Join(new[]
        {
            Chart("每日工单量", SvgCharts.Bars(result.ByDay.Select(d => (d.Day.ToString("M/d", CultureInfo.InvariantCulture), (double)d.Volume)).ToList(), "每日工单量")),
            Chart("按类别", SvgCharts.Bars(result.ByCategory.Select(c => (c.Category, (double)c.Volume)).ToList(), "按类别")),
            Chart("按网格", SvgCharts.Bars(grids.Select(g => (g.Name, (double)g.Volume)).ToList(), "按网格", color: "#4f8a3c")),
            Chart($"响应时长分布（中位数 {Duration(result.ResponseTimes.Median)}，P90 {Duration(result.ResponseTimes.P90)}）", SvgCharts.Histogram(result.ResponseTimes, "响应时长分布")),
            Chart($"办结时长分布（中位数 {Duration(result.ClosingTimes.Median)}，P90 {Duration(result.ClosingTimes.P90)}）", SvgCharts.Histogram(result.ClosingTimes, "办结时长分布")),
        });
        var rows = Html.Join(units.Select(u => Html.Of($"""
            <tr><td>{LevelName(u.Level)}</td><td>{u.Name}</td><td>{u.Volume}</td><td>{Percent(u.ResponseRate)}</td><td>{Percent(u.SolvedRate)}</td>
            <td>{Percent(u.SatisfiedRate)}</td><td>{Percent(u.TimelySignRate)}</td><td>{Percent(u.OnTimeCloseRate)}</td><td>{Percent(u.ReopenRate)}</td><td>{Percent(u.ReturnRate)}</td></tr>
            """)));
        var communities = user.SeesAllTickets
            ? Html.Of($"""
                <label>社区 <select name="community"><option value="">全街道</option>{directory.Current.Data.Communities.Select(x => Html.Of($"""<option value="{x.Id}"{Html.Raw(x.Id == scope.CommunityId ? " selected" : "")}>{x.Name}</option>"""))}</select></label>
                """)
            : Html.Empty;
        var body = Html.Of($"""
            <form method="get" action="/admin/dashboard" class="filters">
              <label>月份 <input name="month" value="{result.Title}"></label>
              {communities}
              <button type="submit">查看</button>
              {MonthLink(result.Title, -1, "上月", scope, user)} {MonthLink(result.Title, 1, "下月", scope, user)}
              <a href="/admin/dashboard/export?{Html.Raw(query)}">导出 XLSX（全部表格）</a>
            </form>
            <p class="muted" id="dashboard-scope">{(scope.CommunityName is { } name ? name + "的工单" : "全街道的工单")}，共 {result.Street.Volume} 件。</p>
            <div class="charts">{charts}</div>
            <h2>考核指标</h2>
            <div class="table-wrap"><table id="rates">
            <thead><tr><th>层级</th><th>单位</th><th>工单</th><th>响应率</th><th>解决率</th><th>满意率</th><th>及时签收率</th><th>按时办结率</th><th>重办率</th><th>回退率</th></tr></thead>
            <tbody>{rows}</tbody>
            </table></div>
            <p>{Export(AssessmentWorkbook.UnitsSheet)}</p>
            <div class="charts">
              <section id="grid-ranking">
                <h2>网格排名</h2>
                {RankingTable(result.GridRanking)}
                <p>{Export(AssessmentWorkbook.GridRankingSheet)}</p>
              </section>
              <section id="worker-ranking">
                <h2>网格员排名</h2>
                {RankingTable(result.WorkerRanking)}
                <p>{Export(AssessmentWorkbook.WorkerRankingSheet)} · 各网格员七项指标明细：{Export(AssessmentWorkbook.WorkersSheet)}</p>
              </section>
            </div>
            <p>{Export(AssessmentWorkbook.ListsSheet)} 红黑榜 · {Export(AssessmentWorkbook.TimesSheet)} 时长分布 · {Export(AssessmentWorkbook.ByDaySheet)} 每日件数 · {Export(AssessmentWorkbook.ByCategorySheet)} 分类件数</p>
            """);
        return AdminLayout.Page(http, "考核看板 " + result.Title, body);
    }

    private static async Task<IResult> ExportAsync(
        HttpContext http, AssessmentService assessment, GridDirectory directory, TimeProvider time, string? month, string? community, string? sheet,
        CancellationToken cancellationToken)
    {
        if (!TryScope(http, directory, time, month, community, out var year, out var number, out var scope, out var problem))
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }

        if (sheet is not null && !AssessmentWorkbook.SheetNames.Contains(sheet))
        {
            return Results.Problem($"没有名为“{sheet}”的表。", statusCode: StatusCodes.Status400BadRequest);
        }

        var result = await ViewAsync(assessment, year, number, scope, cancellationToken);
        var stream = new MemoryStream();
        AssessmentWorkbook.Write(stream, result, sheet);
        stream.Position = 0;
        var scopeName = scope.CommunityId is { } id ? "-" + id : "";
        return Results.File(stream, XlsxType, $"assessment-{result.Title}{scopeName}{(sheet is null ? "" : "-" + sheet)}.xlsx");
    }

    /// <summary>The month asked for and what of it the user may see: the whole street, or one community.</summary>
    private static bool TryScope(
        HttpContext http, GridDirectory directory, TimeProvider time, string? month, string? community, out int year, out int number,
        out Scope scope, out string problem)
    {
        scope = Scope.Of(null, directory);
        problem = "";
        if (!TryMonth(month, time, out year, out number))
        {
            problem = "月份格式应为 2026-11。";
            return false;
        }

        var user = AdminSession.From(http.User);
        // Community staff always see their own community, whatever the link asks for.
        var communityId = user.SeesAllTickets ? (string.IsNullOrEmpty(community) ? null : community) : user.CommunityId;
        if (!user.SeesAllTickets && communityId is null)
        {
            problem = "此账号没有关联社区，请联系管理员。";
            return false;
        }

        if (communityId is not null && !directory.Current.Communities.ContainsKey(communityId))
        {
            problem = $"没有编号为“{communityId}”的社区。";
            return false;
        }

        scope = Scope.Of(communityId, directory);
        return true;
    }

    /// <summary>
    /// The figures the user may see, as the page shows them and the export writes them: the whole street's result, or
    /// for a community its own volumes and distributions with its rows and its part of the office-wide rankings.
    /// </summary>
    private static async Task<AssessmentResult> ViewAsync(AssessmentService assessment, int year, int month, Scope scope, CancellationToken cancellationToken)
    {
        var (street, own) = await assessment.ComputeMonthAsync(year, month, scope.CommunityId, cancellationToken);
        return own is null
            ? street
            : own with
            {
                // A unit's figures depend on its own tickets only; the ranks are the office-wide ones.
                Units = street.Units.Where(scope.Sees).ToList(),
                Workers = street.Workers.Where(scope.Sees).ToList(),
                GridRanking = Only(street.GridRanking, scope),
                WorkerRanking = Only(street.WorkerRanking, scope),
            };
    }

    private static Ranking Only(Ranking ranking, Scope scope) => new(
        ranking.Entries.Where(e => scope.Sees(e.Figures)).ToList(),
        ranking.RedList.Where(e => scope.Sees(e.Figures)).ToList(),
        ranking.BlackList.Where(e => scope.Sees(e.Figures)).ToList());

    // Early in a month its own figures are thin: the previous month is one click away.
    private static Html MonthLink(string title, int months, string label, Scope scope, AdminSession user)
    {
        var month = DateOnly.ParseExact(title, "yyyy-MM", CultureInfo.InvariantCulture).AddMonths(months).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var community = scope.CommunityId is { } c && user.SeesAllTickets ? "&community=" + Uri.EscapeDataString(c) : "";
        return Html.Of($"""<a class="month" href="/admin/dashboard?month={month}{community}">{label}</a>""");
    }

    private static Html Chart(string caption, string svg) =>
        Html.Of($"""<figure class="chart"><figcaption>{caption}</figcaption>{Html.Raw(svg)}</figure>""");

    private static Html RankingTable(Ranking ranking)
    {
        var red = ranking.RedList.ToHashSet();
        var black = ranking.BlackList.ToHashSet();
        var rows = Html.Join(ranking.Entries.Select(e => Html.Of($"""
            <tr><td>{(e.Rank is { } rank ? rank.ToString(CultureInfo.InvariantCulture) : "—")}</td><td>{e.Figures.Name}</td><td>{e.Figures.Volume}</td>
            <td>{(e.Figures.Score is { } score ? score.ToString("0.00", CultureInfo.InvariantCulture) : "—")}</td><td>{(red.Contains(e) ? "红榜" : black.Contains(e) ? "黑榜" : e.Rank is null ? "件数不足" : "")}</td></tr>
            """)));
        Html List(IEnumerable<RankingEntry> entries) => Html.Join(entries.Select(e => Html.Of($"<li>第{e.Rank}名 {e.Figures.Name}（{e.Figures.Volume}件）</li>")));
        return Html.Of($"""
            <p>参与排名 {ranking.Entries.Count(e => e.Rank is not null)} 个（工单太少的不排名）。</p>
            <h3>红榜</h3><ol class="plain red-list">{List(ranking.RedList)}</ol>
            <h3>黑榜</h3><ol class="plain black-list">{List(ranking.BlackList)}</ol>
            <div class="table-wrap"><table>
            <thead><tr><th>名次</th><th>名称</th><th>工单</th><th>综合得分</th><th>榜单</th></tr></thead>
            <tbody>{rows}</tbody>
            </table></div>
            """);
    }

    private static string Duration(TimeSpan? value) => value switch
    {
        null => "—",
        { TotalHours: < 1 } v => $"{v.TotalMinutes:0}分钟",
        { TotalHours: < 48 } v => $"{v.TotalHours:0.#}小时",
        { } v => $"{v.TotalDays:0.#}天",
    };

    /// <summary>The whole street, or one community and what is under it.</summary>
    private sealed record Scope(string? CommunityId, string? CommunityName)
    {
        public static Scope Of(string? communityId, GridDirectory directory) => new(
            communityId,
            communityId is { } id ? directory.Current.Communities.GetValueOrDefault(id)?.Name ?? id : null);

        // A unit's Parent is its community's name (see AssessmentService).
        public bool Sees(UnitFigures unit) =>
            CommunityId is null || (unit.Level == AssessmentLevel.Community && unit.Id == CommunityId)
                || (CommunityName is not null && unit.Level != AssessmentLevel.Street && unit.Parent == CommunityName);
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
