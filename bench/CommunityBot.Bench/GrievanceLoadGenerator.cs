using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CommunityBot.Bench;

/// <summary>
/// Residents filing grievances through the local web chat API (<c>POST /api/local/messages</c>), each in their own
/// group conversation, N at a time: "@小灵通 我要投诉 幸福里{1-999}号楼楼道灯坏了", the category, 跳过 (photo), 提交. Each answer is chosen from
/// the bot's last reply (read with the page's long poll), so a dialog that asks in another order still completes.
/// A ticket counts as completed when the bot answers 已登记. Turn latency is the POST alone: the turn, the ticket
/// and the outbox write all happen before it returns.
/// </summary>
public sealed class GrievanceLoadGenerator(HttpClient client, Uri botUrl, string botName)
{
    private const int MaxTurnsPerTicket = 12;

    private long _residents;
    private int _reported;

    public async Task<GrievanceResult> RunAsync(int workers, TimeSpan duration)
    {
        var turns = new List<double>();
        var tickets = 0;
        var failed = 0;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            var myTickets = 0;
            var myFailed = 0;
            while (started.Elapsed < duration)
            {
                if (await FileOneAsync(mine))
                {
                    myTickets++;
                }
                else
                {
                    myFailed++;
                }
            }

            lock (turns)
            {
                turns.AddRange(mine);
                tickets += myTickets;
                failed += myFailed;
            }
        })));
        return new GrievanceResult(new LoadResult(turns, 0, started.Elapsed), tickets, failed);
    }

    private async Task<bool> FileOneAsync(List<double> latencies)
    {
        var n = Interlocked.Increment(ref _residents);
        var conversation = $"bench-{Environment.ProcessId}-{n}";
        var user = $"r{n}";
        // Buildings 1-999 (the extractor reads no larger building number); eval/turns-bench.sh turns duplicate joining
        // off for this mode, so every completed report is a new ticket.
        var text = $"@{botName} 我要投诉 幸福里{(n - 1) % 999 + 1}号楼楼道灯坏了";
        var transcript = new List<string>();
        for (var turn = 0; turn < MaxTurnsPerTicket; turn++)
        {
            transcript.Add("> " + text);
            var watch = Stopwatch.StartNew();
            using var response = await client.PostAsJsonAsync(new Uri(botUrl, "/api/local/messages"), new JsonObject
            {
                ["conversationId"] = conversation,
                ["userId"] = user,
                ["userName"] = $"居民{n}",
                ["isGroup"] = true,
                ["text"] = text,
            });
            var ms = watch.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                return Fail($"POST {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}", transcript);
            }

            latencies.Add(ms);
            var posted = await response.Content.ReadFromJsonAsync<JsonObject>();
            var reply = await ReadReplyAsync(conversation, user, (long?)posted?["watermark"] ?? 0);
            transcript.Add("< " + reply);
            if (reply.StartsWith("已登记", StringComparison.Ordinal))
            {
                return true;
            }

            if (reply.Contains("已并入工单", StringComparison.Ordinal))
            {
                return Fail("joined an open ticket instead of opening one", transcript);
            }

            var next = Answer(reply);
            if (next is null)
            {
                return Fail("no scripted answer", transcript);
            }

            text = next;
        }

        return Fail("too many turns", transcript);
    }

    private static string? Answer(string reply) => reply switch
    {
        _ when reply.Contains("哪类问题", StringComparison.Ordinal) => "市政管养",
        _ when reply.Contains("照片", StringComparison.Ordinal) => "跳过",
        _ when reply.Contains("哪个小区", StringComparison.Ordinal) => "幸福里小区",
        _ when reply.Contains("几号楼", StringComparison.Ordinal) => "3号楼",
        _ when reply.Contains("发生了什么", StringComparison.Ordinal) => "楼道灯坏了",
        _ when reply.Contains("电话", StringComparison.Ordinal) => "跳过",
        _ when reply.Contains("提交", StringComparison.Ordinal) || reply.Contains("确认", StringComparison.Ordinal) => "提交",
        _ => null,
    };

    private async Task<string> ReadReplyAsync(string conversation, string user, long after)
    {
        // Replies may come through the outbox after the POST returns: long-poll until the bot says something.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var result = await client.GetFromJsonAsync<JsonObject>(
                new Uri(botUrl, $"/api/local/conversations/{conversation}/messages?after={after}&wait=10&userId={user}"));
            var bot = result?["messages"]?.AsArray().Where(m => (string?)m?["from"] == "bot").Select(m => (string?)m?["text"] ?? "").ToList() ?? [];
            if (bot.Count > 0)
            {
                return string.Join(" / ", bot);
            }

            after = (long?)result?["watermark"] ?? after;
        }

        return "";
    }

    private bool Fail(string why, List<string> transcript)
    {
        if (Interlocked.Exchange(ref _reported, 1) == 0)
        {
            Console.Error.WriteLine($"first failed grievance ({why}):{Environment.NewLine}{string.Join(Environment.NewLine, transcript)}");
        }

        return false;
    }
}

/// <summary>Per-turn latencies, completed tickets and failed dialogs of one grievance run.</summary>
public sealed record GrievanceResult(LoadResult Turns, int Tickets, int Failed)
{
    public override string ToString() =>
        $"{Tickets} tickets completed ({Failed} failed) in {Turns.Elapsed.TotalSeconds:F1} s = {Tickets / Turns.Elapsed.TotalSeconds:F1} tickets/s; " +
        $"{Turns.Latencies.Count} turns, p50 {Turns.Percentile(50):F2} ms, p99 {Turns.Percentile(99):F2} ms, max {Turns.Percentile(100):F2} ms per turn";
}
