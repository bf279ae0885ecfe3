using CommunityBot.Understanding.Extractors;

namespace CommunityBot.Tests.Understanding.Extractors;

/// <summary>
/// What the shipped extractor takes from Microsoft.Recognizers.Text because our rules find nothing there, and what it
/// refuses from them. `CommunityBot.Bench extraction` runs these rows against each engine as well (eval/README.md):
/// our rules alone fail the first two tables, the recognizers alone the last.
/// </summary>
public class RecognizerCoverageTests
{
    private readonly DetailExtractor _extractor = RecognizerExtractionTests.Extractor(DetailEngine.Combined);

    // Start and end as "yyyy-MM-dd HH:mm" in +08:00, "" for none; the message is sent on Wednesday 26 November 2025, 15:00.
    [Theory]
    [InlineData("国庆节前就坏了", "", "2025-10-01 00:00", false)]
    [InlineData("元旦那天停的水", "2025-01-01 00:00", "2025-01-02 00:00", false)]
    [InlineData("最近一周停了三次电", "2025-11-19 00:00", "2025-11-26 00:00", false)]
    [InlineData("每个月都要停几次水", "", "", true)]
    public void Extract_TimeOurRulesMiss_ComesFromTheRecognizer(string text, string start, string end, bool recurring)
    {
        var when = _extractor.Extract(text, RecognizerExtractionTests.Clock.GetUtcNow()).When;

        Assert.NotNull(when);
        Assert.Equal(
            (start, end, recurring),
            (RecognizerExtractionTests.Format(when.Start), RecognizerExtractionTests.Format(when.End), when.Recurring));
    }

    [Theory]
    [InlineData("物业电话 +86 10 6234 5678", "010-62345678")]
    [InlineData("座机 +86 371 6600 1234", "0371-66001234")]
    public void Extract_PhoneOurRulesMiss_ComesFromTheRecognizer(string text, string expected)
    {
        Assert.Equal([expected], _extractor.Extract(text, RecognizerExtractionTests.Clock.GetUtcNow()).Phones);
    }

    // The recognizer reads these as dates; our vetoes drop them.
    [Theory]
    [InlineData("春节期间一直停电")]     // lunar 正月初一 given as 1 January
    [InlineData("幸福里3号楼2单元漏水")] // "3号" as the 3rd of the month
    public void Extract_RecognizerFalseReading_IsDropped(string text)
    {
        var details = _extractor.Extract(text, RecognizerExtractionTests.Clock.GetUtcNow());

        Assert.Null(details.When);
        Assert.Null(details.Duration);
    }
}
