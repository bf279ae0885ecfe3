using System.Xml.Linq;
using CommunityBot.Oversight;

namespace CommunityBot.Tests.Oversight;

public sealed class SvgChartsTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Bars_Items_OneBarPerItemScaledToTheLargest()
    {
        var svg = XDocument.Parse(SvgCharts.Bars([("11-01", 10), ("11-02", 40), ("11-03", 0)], "每日件数", width: 300, height: 200));

        var bars = svg.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "bar").ToList();
        Assert.Equal(3, bars.Count);
        var heights = bars.Select(b => double.Parse((string)b.Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(heights[1] / 4, heights[0], 2);
        Assert.Equal(0, heights[2]);
        Assert.Equal(["11-01", "11-02", "11-03"], svg.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "label").Select(t => t.Value));
        Assert.Equal("每日件数", svg.Root!.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void Bars_LabelsWithMarkup_AreEscaped()
    {
        var text = SvgCharts.Bars([("<script>alert(1)</script>", 1), ("水&电\"气'", 2), ("bell\u0007", 3)], "<b>标题</b>");

        Assert.DoesNotContain("<script>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", text, StringComparison.Ordinal);
        var svg = XDocument.Parse(text); // well-formed XML despite the labels
        var labels = svg.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "label").Select(t => t.Value).ToList();
        Assert.Equal(["<script>alert(1)</script>", "水&电\"气'", "bell "], labels);
    }

    [Fact]
    public void Bars_NoItemsOrBadValues_StillAValidChart()
    {
        Assert.Empty(XDocument.Parse(SvgCharts.Bars([])).Descendants(Svg + "rect"));
        var svg = XDocument.Parse(SvgCharts.Bars([("a", double.NaN), ("b", -3), ("c", double.PositiveInfinity)]));
        Assert.All(svg.Descendants(Svg + "rect"), r => Assert.Equal("0", (string?)r.Attribute("height")));
    }

    [Fact]
    public void Bars_Output_HasNoScriptOrExternalReference()
    {
        var text = SvgCharts.Bars([("a", 1)]);

        Assert.DoesNotContain("script", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(XDocument.Parse(text).Descendants().SelectMany(e => e.Attributes()), a => a.Name.LocalName.StartsWith("on", StringComparison.Ordinal));
    }

    [Fact]
    public void Histogram_Distribution_OneBarPerBucket()
    {
        var distribution = TimeDistribution.Of([TimeSpan.FromMinutes(5), TimeSpan.FromHours(3)], [(TimeSpan.FromHours(1), "≤1小时")], ">1小时");

        var svg = XDocument.Parse(SvgCharts.Histogram(distribution));

        Assert.Equal(2, svg.Descendants(Svg + "rect").Count());
        Assert.Equal(["≤1小时", ">1小时"], svg.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "label").Select(t => t.Value));
    }
}
