using CommunityBot.Notifications;
using Microsoft.Extensions.Options;

namespace CommunityBot.Admin;

/// <summary>
/// 投递情况 (<c>/admin/outbox</c>, admin and street staff): how many messages wait to be delivered and which ones failed
/// — when, on which channel, what kind, after how many attempts and why — until the hourly cleanup purges them after
/// <see cref="OutboxOptions.FailedRetention"/>. Neither the address nor the text is shown: they name residents.
/// </summary>
public static class OutboxAdminEndpoints
{
    private const int Shown = 100;
    private const int ReasonLength = 200;

    public static void Map(RouteGroupBuilder group) => group.MapGet("/outbox", Page);

    private static IResult Page(HttpContext http, Outbox outbox, AdminFormat format, IOptions<OutboxOptions> options)
    {
        if (!AdminSession.From(http.User).SeesAllTickets)
        {
            return AdminLayout.Page(http, "无权访问", AdminLayout.Message("只有街道和管理员可以查看投递情况。", error: true), StatusCodes.Status403Forbidden);
        }

        var (pending, failed) = outbox.Counts();
        var rows = Html.Join(outbox.Failed(Shown).Select(m => Html.Of($"""
            <tr><td data-label="失败时间">{(m.FailedAt is { } at ? format.Time(at) : "")}</td><td data-label="渠道">{m.Channel}</td><td data-label="类型">{Kind(m)}</td>
            <td data-label="尝试次数">{m.Attempts}</td><td data-label="原因">{Reason(m.LastError)}</td></tr>
            """)));
        var body = Html.Of($"""
            <p id="outbox-counts">待发送 <strong id="outbox-pending">{pending}</strong> 条，投递失败 <strong id="outbox-failed">{failed}</strong> 条。</p>
            <p class="muted">投递失败的消息保留 {options.Value.FailedRetention.TotalDays:0.#} 天后自动清除；不显示收件人和内容。</p>
            <div class="table-wrap"><table id="failed">
            <thead><tr><th>失败时间</th><th>渠道</th><th>类型</th><th>尝试次数</th><th>原因</th></tr></thead>
            <tbody>{rows}</tbody>
            </table></div>
            {Html.When(failed > Shown, Html.Of($"""<p class="muted">仅显示最近 {Shown} 条。</p>"""))}
            """);
        return AdminLayout.Page(http, "投递情况", body);
    }

    private static string Kind(OutboxMessage message) =>
        message.BroadcastId is not null ? "群发通知" : message.Bulk ? "批量提醒" : "答复";

    // The reason is ours or the channel's status or errcode; capped so an odd answer cannot flood the page.
    private static string Reason(string? error) =>
        error is null ? "" : error.Length <= ReasonLength ? error : error[..ReasonLength] + "…";
}
