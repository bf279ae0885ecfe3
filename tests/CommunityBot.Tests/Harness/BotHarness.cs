using CommunityBot.Broadcasts;
using CommunityBot.Clocks;
using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Dialogs.Routing;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Faq;
using CommunityBot.Handoff;
using CommunityBot.Media;
using CommunityBot.Notices;
using CommunityBot.Notifications;
using CommunityBot.Storage;
using CommunityBot.Tickets;
using CommunityBot.Understanding;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Harness;

/// <summary>
/// The real bot (router, dialogs, pipeline, outbox) over an in-memory LiteDB, a fake clock and a
/// <see cref="TestChannel"/>; the FAQ knowledge base is whatever the test gives it.
/// </summary>
public sealed class BotHarness : IDisposable
{
    public const string BotName = "小灵通";

    /// <param name="wrapDesk">Wraps the ticket desk the router uses (e.g. to fail after a ticket is written).</param>
    /// <param name="database">The store to run on (e.g. an upgraded file); the harness disposes it. Default: a new one in memory.</param>
    /// <param name="classifier">The intent and category models (e.g. the shipped ones); without, intents come from rules and no category is sure.</param>
    /// <param name="wrapBot">Wraps the router the pipeline runs (e.g. to fail or hold a turn).</param>
    public BotHarness(
        IEnumerable<FaqEntry>? knowledgeBase = null, DialogOptions? dialogOptions = null, Func<ITicketDesk, ITicketDesk>? wrapDesk = null,
        CommunityBot.Understanding.Nlu.MessageClassifier? classifier = null, LiteDatabase? database = null, Func<IBot, IBot>? wrapBot = null)
    {
        _dialogOptions = dialogOptions ?? new DialogOptions();
        Database = database ?? new LiteDatabase(new MemoryStream());
        Writer = new LiteDbWriter(Database, NullLogger<LiteDbWriter>.Instance);
        Faq = new FaqStore(Database);
        Faq.ReplaceAll((knowledgeBase ?? DemoKnowledgeBase.Entries).ToList());
        Groups = new GroupRegistry(Database, Writer);
        Understanding = classifier is null
            ? FaqTestFactory.CreateUnderstanding(Faq)
            : new FaqUnderstanding(new FaqMatcher(new FaqMatchingOptions(), Faq.Enabled()), Faq, classifier);
        Storage = new LiteDbStorage(Database, Writer, Time);
        States = new BotStateDialogStore(Storage);
        Misses = new MissStore(Database, Writer);
        Outbox = new Outbox(Database, Writer, Time, MsOptions.Create(new OutboxOptions()));
        Tickets = new TicketStore(Database, Writer);
        Handoffs = new HandoffStore(Database, Writer);
        Clock = new TicketClock(new HolidayStore(Database), new TicketTimerStore(Database), MsOptions.Create(new ClockOptions()));
        ProactiveTurns = new ProactiveTurnStore(Database, Writer, Time, MsOptions.Create(new OutboxOptions()));
        var mediaOptions = MsOptions.Create(new MediaOptions { PublicBaseUrl = PublicBaseUrl });
        Media = new MediaStore(Database, Writer, _mediaFolder);
        MediaSigner = new MediaSigner(new byte[32]);
        var links = new MediaLinks(MediaSigner, mediaOptions, MsOptions.Create(new CommunityBot.Channels.ServerAddressOptions()), Time);
        var intake = new MediaIntake(Media, links);
        TicketRepository = new LiteDbTicketRepository(Tickets, Writer, Outbox, ProactiveTurns, Handoffs, Clock.Timers, Media);
        Desk = new TicketDesk(
            TicketRepository, Directory, Handoffs, Directory, Time, MsOptions.Create(new TicketOptions()), NullLogger<TicketDesk>.Instance, Clock, intake);
        MediaKeeper = new MediaKeeper(
            Media, new MediaFetcher(new HttpClient(PhotoServer), [], mediaOptions, Hosts),
            [new TicketPhotoMessages(Tickets, Directory, Outbox, Writer, intake, Time)], mediaOptions, Time, NullLogger<MediaKeeper>.Instance);
        HelpRequests = new HelpRequestStore(Database, Writer, NullLogger<HelpRequestStore>.Instance);
        Notices = new NoticeStore(Database, Writer);
        Places = new GroupPlaces(Groups, Directory, Directory, Outbox, Writer, new LiteDbConversationMemory(Database, Writer), NullLogger<GroupPlaces>.Instance);
        var desk = wrapDesk?.Invoke(Desk) ?? Desk;
        var router = new TurnRouter(
            States,
            MsOptions.Create(dialogOptions ?? new DialogOptions()),
            Understanding,
            Understanding,
            Misses,
            HelpRequests,
            new LiteDbConversationMemory(Database, Writer),
            desk,
            Directory,
            Directory,
            new NoticeBoard(Notices, MsOptions.Create(new ClockOptions()), NullLogger<NoticeBoard>.Instance),
            Places,
            MsOptions.Create(new RouterOptions { Name = BotName }));
        Dispatcher = new OutboxDispatcher(Outbox, [Channel], MsOptions.Create(new OutboxOptions()), Time, NullLogger<OutboxDispatcher>.Instance);
        Pipeline = new TurnPipeline(
            wrapBot?.Invoke(router) ?? router, States, Storage, new ProcessedMessageLog(Database, Writer), Outbox, Groups, Writer, Time,
            MsOptions.Create(new TurnOptions()), desk: desk);
        ProactiveRunner = new ProactiveTurnRunner(
            new LiteDbProactiveTurnQueue(ProactiveTurns, new ProcessedMessageLog(Database, Writer), Time), Pipeline, Time, NullLogger<ProactiveTurnRunner>.Instance);
    }

    public LiteDatabase Database { get; }
    public LiteDbWriter Writer { get; }
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 20, 0, 0, TimeSpan.FromHours(8)));
    public TestChannel Channel { get; } = new();
    public FaqStore Faq { get; }
    public FaqUnderstanding Understanding { get; }
    public LiteDbStorage Storage { get; }
    public BotStateDialogStore States { get; }
    public MissStore Misses { get; }
    public HelpRequestStore HelpRequests { get; }
    public Outbox Outbox { get; }
    public GroupRegistry Groups { get; }
    public GroupPlaces Places { get; }
    public FakeDirectory Directory { get; } = new();
    public TicketStore Tickets { get; }
    public HandoffStore Handoffs { get; }
    public NoticeStore Notices { get; }
    public TicketClock Clock { get; }
    public LiteDbTicketRepository TicketRepository { get; }

    public TicketDesk Desk { get; }

    /// <summary>Where the signed photo links point.</summary>
    public const string PublicBaseUrl = "https://bot.example.org";

    /// <summary>The re-hosted photos; their files are kept in a folder of this harness's own.</summary>
    public MediaStore Media { get; }
    public MediaSigner MediaSigner { get; }
    public MediaKeeper MediaKeeper { get; }

    /// <summary>The channels' photo hosts, as the fetcher sees them.</summary>
    public FakePhotoServer PhotoServer { get; } = new();
    public FakeHostResolver Hosts { get; } = new();
    public OutboxDispatcher Dispatcher { get; }
    public TurnPipeline Pipeline { get; }
    public ProactiveTurnStore ProactiveTurns { get; }
    public ProactiveTurnRunner ProactiveRunner { get; }

    /// <summary>
    /// Whether a scripted step runs the proactive turns it caused before delivering (the default); off, they stay pending
    /// as in a process that stopped right after the step.
    /// </summary>
    public bool RunsProactiveTurns { get; set; } = true;

    /// <summary>What the background services do after a turn, now and in order: the proactive turns that are due, then the outbox.</summary>
    public async Task DeliverAsync()
    {
        if (RunsProactiveTurns)
        {
            await ProactiveRunner.RunDueAsync(CancellationToken.None);
        }

        await Dispatcher.DispatchDueAsync(CancellationToken.None);
    }

    /// <summary>The token scripted messages are processed with; cancelling it mid-turn stands for the process dying.</summary>
    public CancellationToken TurnToken { get; set; } = CancellationToken.None;

    private readonly Dictionary<string, Queue<OutboundMessage>> _inboxes = new(StringComparer.Ordinal);
    private readonly DialogOptions _dialogOptions;
    private readonly string _mediaFolder = Path.Combine(Path.GetTempPath(), "communitybot-tests", "media-" + Guid.NewGuid().ToString("N"));

    /// <summary>One round of the background photo fetch, then the outbox delivered (what the fetch sent: photos, or that they were lost).</summary>
    public async Task FetchMediaAsync()
    {
        await MediaKeeper.KeepDueAsync(CancellationToken.None);
        await DeliverAsync();
    }

    /// <summary>
    /// The bytes behind one of our photo links, as <c>GET /media/{id}</c> would serve them: the link must be ours, its
    /// signature valid now and the photo stored; otherwise the test fails.
    /// </summary>
    public byte[] BytesBehind(string link)
    {
        Assert.StartsWith(PublicBaseUrl + MediaLinks.RoutePrefix, link, StringComparison.Ordinal);
        var uri = new Uri(link);
        var id = uri.AbsolutePath[MediaLinks.RoutePrefix.Length..];
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        Assert.True(MediaSigner.Verify(id, query["exp"], query["sig"], Time.GetUtcNow()), "The link's signature does not verify.");
        var item = Assert.IsType<MediaItem>(Media.Find(id));
        return File.ReadAllBytes(Assert.IsType<string>(Media.FileOf(item)));
    }

    /// <summary>The hourly cleanup over this bot's stores (default settings); call <c>Sweep</c> to run a round.</summary>
    public ConversationCleanupService Cleanup(TicketOptions? ticketOptions = null) => new(
        new ProcessedMessageLog(Database, Writer), Storage, Tickets, Outbox, ProactiveTurns, Time, MsOptions.Create(new TurnOptions()), MsOptions.Create(_dialogOptions),
        MsOptions.Create(ticketOptions ?? new TicketOptions()), MsOptions.Create(new OutboxOptions()), NullLogger<ConversationCleanupService>.Instance);

    /// <summary>What the bot sent to <paramref name="conversationId"/> and no test has read yet.</summary>
    public Queue<OutboundMessage> InboxOf(string conversationId)
    {
        Pump();
        if (!_inboxes.TryGetValue(conversationId, out var inbox))
        {
            inbox = new Queue<OutboundMessage>();
            _inboxes[conversationId] = inbox;
        }

        return inbox;
    }

    /// <summary>Conversations with messages nobody read.</summary>
    public IEnumerable<KeyValuePair<string, Queue<OutboundMessage>>> Unread()
    {
        Pump();
        return _inboxes.Where(i => i.Value.Count > 0);
    }

    private void Pump()
    {
        while (Channel.TryTake(out var sent))
        {
            if (!_inboxes.TryGetValue(sent.To.ConversationId, out var inbox))
            {
                inbox = new Queue<OutboundMessage>();
                _inboxes[sent.To.ConversationId] = inbox;
            }

            inbox.Enqueue(sent.Message);
        }
    }

    /// <summary>Ties a group of the test channel to a compound, as 群管理 does (the group is registered if it is new).</summary>
    public Task TieGroupAsync(string conversationId, string? compoundId, string? communityId = null) => Writer.WriteAsync(_ =>
    {
        var group = new ConversationReference { Channel = TestChannel.Name, ConversationId = conversationId, IsGroup = true };
        Groups.Record(group, Time.GetUtcNow());
        Groups.Assign(GroupRegistry.KeyOf(TestChannel.Name, conversationId), "幸福里小区业主群", communityId ?? (compoundId is null ? null : "FH-01"), compoundId);
    });

    /// <summary>Starts a scripted conversation in a group (the default) or a private chat.</summary>
    public ConversationFlow Conversation(bool group = true, string conversationId = "group-1") =>
        new(this, group ? conversationId : "private-" + conversationId, group);

    public void Dispose()
    {
        Writer.Dispose();
        Database.Dispose();
        if (System.IO.Directory.Exists(_mediaFolder))
        {
            System.IO.Directory.Delete(_mediaFolder, recursive: true);
        }
    }
}
