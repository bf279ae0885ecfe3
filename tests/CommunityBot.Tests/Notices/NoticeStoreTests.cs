using CommunityBot.Clocks;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Grievance;
using CommunityBot.Notices;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CommunityBot.Tests.Notices;

public sealed class NoticeStoreTests : IDisposable
{
    private static readonly DateTime Start = new(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc); // 08:00 in Zhengzhou
    private static readonly DateTime End = Start.AddHours(10);

    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly NoticeStore _store;
    private readonly NoticeBoard _board;

    public NoticeStoreTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _store = new NoticeStore(_database, _writer);
        _board = new NoticeBoard(_store, MsOptions.Create(new ClockOptions()), NullLogger<NoticeBoard>.Instance);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _database.Dispose();
    }

    private Task<Notice> CreateAsync(string title = "停电检修", params NoticePlace[] places) => _store.CreateAsync(new Notice
    {
        Title = title,
        Text = "线路检修。",
        Category = "水电气暖",
        Keywords = NoticeKeywords.Defaults("水电气暖", title).ToList(),
        CommunityId = "FH-01",
        Places = places.Length > 0 ? [.. places] : [new NoticePlace { CompoundId = "xingfuli", CompoundName = "幸福里小区", Buildings = ["3号楼"] }],
        StartUtc = Start,
        EndUtc = End,
        Author = "boss",
        CreatedUtc = Start.AddDays(-1),
    });

    [Fact]
    public async Task Create_ThenFind_RoundTripsScopeWindowAndKeywords()
    {
        var created = await CreateAsync();

        var found = _store.Find(created.Id)!;

        Assert.True(found.Id > 0);
        Assert.Equal("停电检修", found.Title);
        Assert.Equal(Start, found.StartUtc);
        Assert.Equal(End, found.EndUtc);
        Assert.Equal(["3号楼"], Assert.Single(found.Places).Buildings);
        Assert.Contains("停电", found.Keywords);
        Assert.DoesNotContain("停水", found.Keywords);
        Assert.Equal("幸福里小区3号楼", found.Where);
    }

    [Fact]
    public async Task InForce_OnlyInsideTheWindowAndUntilWithdrawn()
    {
        var notice = await CreateAsync();

        Assert.Empty(_store.InForce(Start.AddMinutes(-1)));
        Assert.Single(_store.InForce(Start));
        Assert.Empty(_store.InForce(End));

        await _store.UpdateAsync(notice.Id, n =>
        {
            n.WithdrawnUtc = Start.AddHours(1);
            return true;
        });

        Assert.Empty(_store.InForce(Start.AddHours(2)));
    }

    [Fact]
    public async Task About_MatchesTopicAndPlace_WholeCompoundCoversEveryBuilding()
    {
        await CreateAsync("停电检修", new NoticePlace { CompoundId = "hepingli", CompoundName = "和平里小区" });
        var at = new DateTimeOffset(Start.AddHours(1));

        Assert.Single(_board.About("怎么停电了", null, null, at));
        Assert.Single(_board.About("7号楼停电了吗", "hepingli", "7", at));
        Assert.Empty(_board.About("停电了吗", "xingfuli", null, at));
        Assert.Empty(_board.About("停水了吗", "hepingli", null, at));
    }

    [Fact]
    public async Task Covering_NeedsCategoryPlaceAndTopicWord()
    {
        var notice = await CreateAsync();
        var at = new DateTimeOffset(Start.AddHours(1));

        Assert.Equal(notice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), _board.Covering("水电气暖", "家里没电了", "xingfuli", "3", at)?.Id);
        Assert.NotNull(_board.Covering("水电气暖-电", "家里没电了", "xingfuli", "3", at));
        Assert.Null(_board.Covering("物业管理", "家里没电了", "xingfuli", "3", at));
        Assert.Null(_board.Covering("水电气暖", "家里没电了", "xingfuli", "4", at));
        Assert.Null(_board.Covering("水电气暖", "家里没电了", null, "3", at));
        Assert.Null(_board.Covering("水电气暖", "水管爆了", "xingfuli", "3", at));
    }

    [Fact]
    public async Task Join_SameResidentTwice_CountsOnce_AndKeepsNoRoom()
    {
        var notice = await CreateAsync();
        var at = new DateTimeOffset(Start.AddHours(1));

        await _board.JoinAsync(notice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Report("alice"), at, CancellationToken.None);
        var second = await _board.JoinAsync(notice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Report("alice"), at.AddMinutes(5), CancellationToken.None);

        Assert.Equal(1, second!.Reports);
        var report = Assert.Single(_store.Find(notice.Id)!.Reports);
        Assert.Equal("test|alice", report.ReporterKey);
        Assert.Equal("幸福里小区3号楼2单元", report.Location);
    }

    [Fact]
    public async Task Join_AfterTheWindow_ReturnsNullAndRecordsNothing()
    {
        var notice = await CreateAsync();

        var joined = await _board.JoinAsync(notice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Report("alice"), new DateTimeOffset(End), CancellationToken.None);

        Assert.Null(joined);
        Assert.Empty(_store.Find(notice.Id)!.Reports);
    }

    [Theory]
    [InlineData("水电气暖", "停水通知", "没水", "停电")]
    [InlineData("水电气暖", "燃气管道检修", "停气", "停水")]
    [InlineData("物业管理", "电梯保养", "电梯", "停水")]
    public void Defaults_FollowCategoryAndTitle(string category, string title, string included, string excluded)
    {
        var words = NoticeKeywords.Defaults(category, title);

        Assert.Contains(included, words);
        Assert.DoesNotContain(excluded, words);
    }

    private static GrievanceReport Report(string user) => new()
    {
        Reporter = new ConversationReference { Channel = "test", ConversationId = "group-1", IsGroup = true, UserId = user, UserName = user },
        Category = "水电气暖",
        Description = "家里没电了",
        CompoundId = "xingfuli",
        CompoundName = "幸福里小区",
        Building = "3",
        Unit = "2",
        Room = "501",
    };
}
