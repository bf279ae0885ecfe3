using System.Globalization;
using CommunityBot.Health;
using CommunityBot.Metrics;
using CommunityBot.Notifications;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CommunityBot.Admin;

/// <summary>
/// 运行状态 (<c>/admin/status</c>, admin and street staff): whether the assistant is ready (the checks of
/// <c>/healthz/ready</c>) and what it has done since it started — messages by channel, how fast answers reached residents,
/// what waits in the outbox, deliveries, tickets and questions — the figures the metrics endpoint exports, in Chinese.
/// Counts only: no resident, conversation or text.
/// </summary>
public static class StatusAdminEndpoints
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/status", PageAsync);

    private static async Task<IResult> PageAsync(
        HttpContext http, HealthCheckService health, BotMetrics metrics, Outbox outbox, AdminFormat format, TimeProvider time, IOptions<HealthOptions> options)
    {
        if (!AdminSession.From(http.User).SeesAllTickets)
        {
            return AdminLayout.Page(http, "无权访问", AdminLayout.Message("只有街道和管理员可以查看运行状态。", error: true), StatusCodes.Status403Forbidden);
        }

        var report = await health.CheckHealthAsync(c => c.Tags.Contains(HealthExtensions.ReadyTag), http.RequestAborted);
        var figures = metrics.Snapshot();
        var backlog = outbox.Backlog();
        var uptime = time.GetUtcNow() - figures.StartedAt;

        var checks = Html.Join(report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => Html.Of($"""
            <tr><td data-label="项目">{CheckName(e.Key)}</td><td data-label="状态"><span class="{StatusClass(e.Value.Status)}">{StatusWord(e.Value.Status)}</span></td>
            <td data-label="说明" class="muted">{(e.Value.Exception is { } ex ? $"检查出错（{ex.GetType().Name}）" : e.Value.Description)}</td></tr>
            """)));

        var turnChannels = figures.Channels("turns");
        var turnRows = Html.Join(turnChannels.Select(c => Html.Of($"""
            <tr><td data-label="渠道">{ChannelName(c)}</td><td data-label="已处理">{figures.Total("turns", "processed", c)}</td>
            <td data-label="未@助手">{figures.Total("turns", "ignored", c)}</td><td data-label="重复">{figures.Total("turns", "duplicate", c)}</td>
            <td data-label="出错">{figures.Total("turns", "failed", c)}</td></tr>
            """)));
        var deliveryRows = Html.Join(figures.Channels("deliveries").Select(c => Html.Of($"""
            <tr><td data-label="渠道">{ChannelName(c)}</td><td data-label="已送达">{figures.Total("deliveries", "delivered", c)}</td>
            <td data-label="失败重试">{figures.Total("deliveries", "failed", c)}</td><td data-label="无法投递">{figures.Total("deliveries", "undeliverable", c)}</td>
            <td data-label="被限流">{figures.Total("deliveries", "rate_limited", c)}</td></tr>
            """)));

        var turns = turnChannels.Count == 0 ? Html.Raw("""<p class="muted">还没有收到消息。</p>""") : Html.Of($"""
            <div class="table-wrap"><table id="status-turns">
            <thead><tr><th>渠道</th><th>已处理</th><th>未@助手</th><th>重复</th><th>出错</th></tr></thead>
            <tbody>{turnRows}</tbody>
            </table></div>
            """);
        var deliveries = figures.Channels("deliveries").Count == 0 ? Html.Raw("""<p class="muted">还没有发送过消息。</p>""") : Html.Of($"""
            <div class="table-wrap"><table id="status-deliveries">
            <thead><tr><th>渠道</th><th>已送达</th><th>失败重试</th><th>无法投递</th><th>被限流</th></tr></thead>
            <tbody>{deliveryRows}</tbody>
            </table></div>
            """);
        var oldest = backlog.OldestReplyAge is { } age ? $"最早一条答复已等待 {Seconds(age)}" : "没有等待中的答复";
        var answers = figures.AnswerLatencyMedian is { } median
            ? $"最近 {figures.RecentAnswers} 条的中位数 {Seconds(median)}，95% 在 {Seconds(figures.AnswerLatencyP95!.Value)} 以内"
            : "还没有送达的答复";
        var body = Html.Of($"""
            <p id="status-overall">就绪状态：<strong class="{StatusClass(report.Status)}">{StatusWord(report.Status)}</strong>
            （最早一条待发送答复的等待上限 {Seconds(options.Value.OutboxReplyAge)}）</p>
            <div class="table-wrap"><table id="status-checks">
            <thead><tr><th>项目</th><th>状态</th><th>说明</th></tr></thead>
            <tbody>{checks}</tbody>
            </table></div>

            <h2>待发送</h2>
            <p id="status-outbox">待发送答复 <strong id="status-pending-replies">{backlog.PendingReplies}</strong> 条，批量消息 {backlog.Pending - backlog.PendingReplies} 条；
            {oldest}；投递失败 {backlog.Failed} 条（<a href="/admin/outbox">投递情况</a>）。</p>

            <h2>自 {format.Time(figures.StartedAt)} 启动以来（已运行 {Duration(uptime)}）</h2>
            <p id="status-answers">答复送达耗时（从登记到渠道收下）：{answers}。</p>
            <p id="status-tickets">工单：新建 <strong>{figures.Total("tickets", "opened")}</strong> 件，办结 <strong>{figures.Total("tickets", "closed")}</strong> 件，升级 <strong>{figures.Total("tickets", "escalated")}</strong> 次。</p>
            <p id="status-faq">知识库：直接答复 <strong>{figures.Total("faq", "answered")}</strong> 次，给出“您是想问”选项 <strong>{figures.Total("faq", "suggested")}</strong> 次，未能回答 <strong>{figures.Total("faq", "missed")}</strong> 次（<a href="/admin/misses">未答问题</a>）。</p>

            <h3>收到的消息</h3>
            {turns}
            <h3>投递</h3>
            {deliveries}
            <p class="muted">这些数字在服务重启后重新计数；长期的统计请看考核看板，或让技术人员接入监控（Metrics:Enabled）。</p>
            """);
        return AdminLayout.Page(http, "运行状态", body);
    }

    private static string CheckName(string check) => check switch
    {
        "store" => "数据存储",
        "outbox" => "待发送消息",
        "channels" => "发送渠道",
        "models" => "意图与分类模型",
        _ => check,
    };

    private static string ChannelName(string channel) => channel switch
    {
        "wecom" => "企业微信",
        "msteams" => "Teams",
        "local" => "本机聊天页",
        "emulator" => "Bot Framework 模拟器",
        "webchat" => "网页聊天",
        "directline" => "Direct Line",
        "open311" => "Open311",
        _ => channel,
    };

    private static string StatusWord(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "正常",
        HealthStatus.Degraded => "降级",
        _ => "异常",
    };

    private static string StatusClass(HealthStatus status) =>
        status == HealthStatus.Unhealthy ? "status-error" : status == HealthStatus.Degraded ? "status-warning" : "status-ok";

    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds < 10 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.##} 秒")
        : span.TotalMinutes < 2 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} 秒")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} 分钟");

    private static string Duration(TimeSpan span) =>
        span.TotalHours < 1 ? $"{(int)span.TotalMinutes} 分钟"
        : span.TotalDays < 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} 小时")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.#} 天");
}
