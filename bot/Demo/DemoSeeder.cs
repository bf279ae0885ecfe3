using CommunityBot.Admin;
using CommunityBot.Broadcasts;
using CommunityBot.Channels;
using CommunityBot.Channels.WebChat;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Directory;
using CommunityBot.Storage;
using CommunityBot.Tickets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CommunityBot.Demo;

/// <summary>
/// At start, with the demo directory only (<see cref="DemoDirectory"/>): ties the demo group to 幸福里 and seeds the
/// demo ticket history, each once (a mark in <c>conversation_marks</c>; the history also only into an empty ticket
/// store, and in one write with its mark); and, on a loopback-only server whose console has no account yet, prints a one-time sign-in link once the
/// server listens. Runs after the directory's seeder and before the escalation sweeper (Program's order), so the
/// sweeper never sees a half-written history.
/// </summary>
public sealed partial class DemoSeeder(
    GridDirectory directory,
    IOptions<DirectoryOptions> directoryOptions,
    IOptions<DemoOptions> options,
    IConversationMemory marks,
    GroupRegistry groups,
    TicketStore tickets,
    DemoTicketHistory history,
    DemoSignIn signIn,
    AdminUserStore users,
    HostExposure exposure,
    LiteDbWriter writer,
    IServer server,
    IHostApplicationLifetime lifetime,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<DemoSeeder> logger) : IHostedService
{
    public const string DemoCompound = "xingfuli";
    public const string GroupMark = "demo/group-tied";
    public const string TicketsMark = "demo/tickets-seeded";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!DemoDirectory.IsInUse(directory.Current, directoryOptions.Value))
        {
            return;
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        if (settings.TieGroup && directory.Current.Compounds.TryGetValue(DemoCompound, out var compound)
            && await marks.MarkOnceAsync(GroupMark, cancellationToken))
        {
            var group = new ConversationReference
            {
                Channel = WebChatMapper.ChannelId, ConversationId = WebChatDemo.GroupId, IsGroup = true, BotId = WebChatMapper.BotId,
            };
            await writer.WriteAsync(_ => groups.Tie(group, WebChatDemo.GroupName, compound.Community, compound.Id, now));
            LogGroupTied(WebChatDemo.GroupName, compound.Name);
        }

        if (settings.Tickets && tickets.All().Count == 0)
        {
            // The mark is written in the history's own write: a start that fails part-way leaves neither, and the next seeds.
            await history.SeedAsync(now, settings.Seed, async () =>
            {
                if (!await marks.MarkOnceAsync(TicketsMark, cancellationToken))
                {
                    return false;
                }

                LogSeeding();
                return true;
            }, cancellationToken);
        }

        if (settings.SignIn && exposure.IsLoopbackOnly && users.Count() == 0)
        {
            var token = signIn.Issue();
            // Printed once the server listens, with the address it really has.
            lifetime.ApplicationStarted.Register(() => LogSignIn(BaseAddress() + DemoSignIn.Path + "?token=" + token));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string BaseAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? configuration["Urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? "http://localhost:5000";
        return address.TrimEnd('/');
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: {Group} tied to {Compound} (群管理)")]
    private partial void LogGroupTied(string group, string compound);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: seeding a past month of demo tickets through the ticket desk…")]
    private partial void LogSeeding();

    // Loopback only and used once, so it may be printed: it is how a newcomer gets into the console without a CLI step.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo console: sign in once at {Url} (this machine only; it creates the console account \"admin\" with a password you choose)")]
    private partial void LogSignIn(string url);
}
