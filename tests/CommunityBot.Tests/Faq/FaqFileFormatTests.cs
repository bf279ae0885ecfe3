using CommunityBot.Faq;

namespace CommunityBot.Tests.Faq;

public class FaqFileFormatTests
{
    private static List<FaqEntry> Sample() =>
    [
        new() { Id = "wuye-phone", Question = "物业电话是多少", Similar = ["物业怎么联系", "物业的电话, \"24小时\"吗"], Answer = "物业服务中心：0371-1234567\n24小时值班", Category = "物业" },
        new() { Id = "water", Question = "停水了怎么办", Similar = [], Answer = "请先查看小区公告。" },
    ];

    [Fact]
    public void Csv_MultilineCellsAndQuotes_RoundTrip()
    {
        var writer = new StringWriter();
        FaqFileFormat.WriteCsv(writer, Sample());

        var read = FaqFileFormat.ReadCsv(new StringReader(writer.ToString()));

        Assert.Equal(2, read.Count);
        Assert.Equal(["物业怎么联系", "物业的电话, \"24小时\"吗"], read[0].Similar);
        Assert.Equal("物业服务中心：0371-1234567\n24小时值班", read[0].Answer);
        Assert.Equal("物业", read[0].Category);
        Assert.Empty(read[1].Similar);
    }

    [Fact]
    public void Csv_WithoutSimilarColumnAndCrlf_Reads()
    {
        var read = FaqFileFormat.ReadCsv(new StringReader("\uFEFFid,question,answer\r\na1,物业电话是多少,\"电话\r\n1234\"\r\n"));

        var entry = Assert.Single(read);
        Assert.Equal("a1", entry.Id);
        Assert.Equal("电话\r\n1234", entry.Answer);
    }

    [Fact]
    public void Csv_EmptyAnswer_NamesLineAndColumn()
    {
        var csv = "id,question,similar,answer\na1,问题一,\"说法一\n说法二\",答案一\na2,问题二,,\n";

        var error = Assert.Throws<FaqFormatException>(() => FaqFileFormat.ReadCsv(new StringReader(csv)));

        Assert.Contains("Line 4", error.Message);
        Assert.Contains("column answer", error.Message);
    }

    [Fact]
    public void Csv_DuplicateId_IsRejected()
    {
        var csv = "id,question,answer\na1,问题一,答案一\na1,问题二,答案二\n";

        var error = Assert.Throws<FaqFormatException>(() => FaqFileFormat.ReadCsv(new StringReader(csv)));

        Assert.Contains("already used on line 2", error.Message);
    }

    [Fact]
    public void Csv_UnclosedQuote_IsRejected()
    {
        Assert.Throws<FaqFormatException>(() => FaqFileFormat.ReadCsv(new StringReader("id,question,answer\na1,\"问题,答案\n")));
    }

    [Fact]
    public void Csv_MissingColumn_IsRejected()
    {
        var error = Assert.Throws<FaqFormatException>(() => FaqFileFormat.ReadCsv(new StringReader("id,question\na1,问题\n")));
        Assert.Contains("\"answer\" is missing", error.Message);
    }

    [Fact]
    public void Xlsx_MultilineCells_RoundTrip()
    {
        var path = Path.Combine(Path.GetTempPath(), $"faq-{Guid.NewGuid():N}.xlsx");
        try
        {
            FaqFileFormat.Write(path, Sample());

            var read = FaqFileFormat.Read(path);

            Assert.Equal(["wuye-phone", "water"], read.Select(e => e.Id));
            Assert.Equal(Sample()[0].Similar, read[0].Similar);
            Assert.Equal(Sample()[0].Answer, read[0].Answer);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
