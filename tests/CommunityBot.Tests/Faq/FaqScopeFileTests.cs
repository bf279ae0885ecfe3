using CommunityBot.Directory;
using CommunityBot.Faq;
using LiteDB;

namespace CommunityBot.Tests.Faq;

/// <summary>The optional <c>scope</c> column: per-compound and per-community answers in knowledge-base files (issue 15, item 2).</summary>
public class FaqScopeFileTests
{
    private static readonly DirectorySnapshot Demo = new(DirectoryJson.Read(Path.Combine(AppContext.BaseDirectory, "Data", "demo-directory.json")));

    private const string Header = "id,question,similar,answer,category,scope\r\n";
    private const string General = "p1,物业电话是多少,\"物业电话多少\n物管电话\",各小区物业电话：幸福里0371-66002101，柳岸0371-66002102,物业管理,\r\n";

    [Fact]
    public void Csv_ScopeRows_BecomeVariantsOfTheirEntry_ResolvedByNameAliasOrId()
    {
        var csv = Header + General
            + "p1,,,幸福里物业：0371-66002101,,幸福里\r\n"
            + "p1,物业电话是多少,,柳岸社区服务站：0371-66002000,物业管理,FH-02\r\n"
            + "p1,,,春晖家园物业：0371-66002103,,春晖家园\r\n";

        var entries = FaqFileFormat.ReadCsv(new StringReader(csv));
        FaqScopes.Resolve(entries, Demo);

        var entry = Assert.Single(entries);
        Assert.Equal(["物业电话多少", "物管电话"], entry.Similar);
        Assert.Equal(
            [(FaqScopeKind.Compound, "xingfuli"), (FaqScopeKind.Community, "FH-02"), (FaqScopeKind.Compound, "chunhui")],
            entry.Variants.Select(v => (v.Kind, v.ScopeId)));
        Assert.Equal("幸福里物业：0371-66002101", entry.AnswerFor("xingfuli", "FH-01"));
        Assert.Equal("柳岸社区服务站：0371-66002000", entry.AnswerFor("liuan", "FH-02"));
        Assert.Equal(entry.Answer, entry.AnswerFor("hepingli", "FH-01"));
        Assert.Equal(entry.Answer, entry.AnswerFor(null, null));
    }

    [Fact]
    public void Csv_WithVariants_RoundTripsWithTheDirectorysNames()
    {
        var entries = FaqFileFormat.ReadCsv(new StringReader(Header + General + "p1,,,幸福里物业：0371-66002101,,xingfuli\r\n"));
        FaqScopes.Resolve(entries, Demo);
        var writer = new StringWriter();

        FaqFileFormat.WriteCsv(writer, entries, v => FaqScopes.NameOf(Demo, v));

        var text = writer.ToString();
        Assert.StartsWith(Header, text, StringComparison.Ordinal);
        Assert.Contains(",幸福里小区\r\n", text, StringComparison.Ordinal);
        var again = FaqFileFormat.ReadCsv(new StringReader(text));
        FaqScopes.Resolve(again, Demo);
        var variant = Assert.Single(Assert.Single(again).Variants);
        Assert.Equal(("xingfuli", "幸福里物业：0371-66002101"), (variant.ScopeId, variant.Answer));
    }

    [Fact]
    public void Csv_WithoutVariants_KeepsTheFiveColumns()
    {
        var writer = new StringWriter();

        FaqFileFormat.WriteCsv(writer, [new FaqEntry { Id = "a", Question = "问", Answer = "答" }]);

        Assert.StartsWith("id,question,similar,answer,category\r\n", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownScope_NamesTheRowAndColumn_AndResolvesNothing()
    {
        var entries = FaqFileFormat.ReadCsv(new StringReader(Header + General
            + "p1,,,幸福里物业：0371-66002101,,幸福里\r\n"
            + "p1,,,月亮湾物业,,月亮湾小区\r\n"));

        var error = Assert.Throws<FaqFormatException>(() => FaqScopes.Resolve(entries, Demo));

        Assert.Contains("Line 5, column scope", error.Message); // the general row's phrasings take lines 2 and 3
        Assert.Contains("月亮湾小区", error.Message);
        Assert.All(entries[0].Variants, v => Assert.False(v.IsResolved));
    }

    [Fact]
    public void Resolve_TwoNamesForOnePlace_IsAnError()
    {
        var entries = FaqFileFormat.ReadCsv(new StringReader(Header + General
            + "p1,,,答案一,,幸福里\r\np1,,,答案二,,幸福里小区\r\n"));

        var error = Assert.Throws<FaqFormatException>(() => FaqScopes.Resolve(entries, Demo));

        Assert.Contains("Line 5, column scope", error.Message);
        Assert.Contains("same place", error.Message);
    }

    [Theory]
    [InlineData("p2,,,幸福里物业,,幸福里\r\n", "column id", "no row without one")]
    [InlineData("p1,,另一种问法,幸福里物业,,幸福里\r\n", "column similar", "phrasings")]
    [InlineData("p1,别的问题,,幸福里物业,,幸福里\r\n", "column question", "differs")]
    [InlineData("p1,,,,,幸福里\r\n", "column answer", "empty")]
    [InlineData("p1,,,答案一,,幸福里\r\np1,,,答案二,,幸福里\r\n", "column scope", "already has an answer")]
    public void Csv_BadScopeRow_NamesTheRowAndColumn(string rows, string column, string reason)
    {
        var error = Assert.Throws<FaqFormatException>(() => FaqFileFormat.ReadCsv(new StringReader(Header + General + rows)));

        Assert.Contains(column, error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Contains("Line ", error.Message);
    }

    [Fact]
    public void Xlsx_WithVariants_RoundTrips()
    {
        var entries = FaqFileFormat.ReadCsv(new StringReader(Header + General + "p1,,,柳岸社区服务站,,柳岸社区\r\n"));
        FaqScopes.Resolve(entries, Demo);
        var path = Path.Combine(Path.GetTempPath(), $"faq-{Guid.NewGuid():N}.xlsx");
        try
        {
            FaqFileFormat.Write(path, entries, v => FaqScopes.NameOf(Demo, v));

            var read = FaqFileFormat.Read(path);
            FaqScopes.Resolve(read, Demo);

            var variant = Assert.Single(Assert.Single(read).Variants);
            Assert.Equal((FaqScopeKind.Community, "FH-02", "柳岸社区服务站"), (variant.Kind, variant.ScopeId, variant.Answer));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Store_UnresolvedVariant_IsRefused_AndAResolvedOneIsKept()
    {
        using var database = new LiteDatabase(new MemoryStream());
        var store = new FaqStore(database);
        var entries = FaqFileFormat.ReadCsv(new StringReader(Header + General + "p1,,,幸福里物业,,幸福里\r\n"));

        Assert.Throws<InvalidOperationException>(() => store.ReplaceAll(entries));
        Assert.Equal(0, store.Count());

        FaqScopes.Resolve(entries, Demo);
        store.ReplaceAll(entries);
        var variant = Assert.Single(store.Find("p1")!.Variants);
        Assert.Equal((FaqScopeKind.Compound, "xingfuli", "幸福里物业"), (variant.Kind, variant.ScopeId, variant.Answer));
    }

    [Fact]
    public void DemoKnowledgeBase_PropertyPhone_HasAVariantForEachCompoundItNames()
    {
        var entries = FaqFileFormat.Read(Path.Combine(AppContext.BaseDirectory, "Data", "demo-faq.csv"));
        FaqScopes.Resolve(entries, Demo);

        var phone = entries.Single(e => e.Id == "faq-001");
        Assert.Equal(["xingfuli", "liuan", "chunhui", "hepingli"], phone.Variants.Select(v => v.ScopeId));
        Assert.Contains("0371-66002101", phone.AnswerFor("xingfuli", "FH-01"));
        Assert.DoesNotContain("0371-66002102", phone.AnswerFor("xingfuli", "FH-01"));
        Assert.Contains("0371-66002102", phone.AnswerFor("binheyuan", "FH-02")); // no variant: the general answer lists all
    }
}
