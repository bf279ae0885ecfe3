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
    [InlineData("2015年的物业费还没退", "2015-01-01 00:00", "2016-01-01 00:00", false)]
    [InlineData("近两年一直漏水", "2023-11-26 00:00", "2025-11-26 00:00", false)]
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
    [InlineData("幸福路55号门口渣土乱倒")] // "5号", the tail of a house number, as the 5th
    [InlineData("1938小区电梯又坏了")]   // a bare number as a year
    [InlineData("路灯坏了五六年了")]     // "五六年" as the year 1956
    [InlineData("150年的老房子漏雨")]    // the year 150
    public void Extract_RecognizerFalseReading_IsDropped(string text)
    {
        Assert.Null(_extractor.Extract(text, RecognizerExtractionTests.Clock.GetUtcNow()).When);
    }
}
