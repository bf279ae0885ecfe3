using System.Globalization;
using System.Net;
using System.Text;

namespace CommunityBot.Oversight;

/// <summary>
/// Small self-contained SVG charts for the dashboard pages: no script, no external fonts or styles, every text
/// escaped, so a page can inline the string as it is.
/// </summary>
public static class SvgCharts
{
    private const int LabelHeight = 40;
    private const int TopMargin = 20;
    private const int LeftMargin = 8;

    /// <summary>A vertical bar chart, one bar per item in order, each with its label under it and its value above it.</summary>
    public static string Bars(IReadOnlyList<(string Label, double Value)> items, string title = "", int width = 640, int height = 240, string color = "#2f6fb0")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 80);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 80);
        var svg = new StringBuilder(256 + 200 * items.Count);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">");
        if (title.Length > 0)
        {
            svg.Append("<title>").Append(Escape(title)).Append("</title>");
        }

        var plotHeight = height - LabelHeight - TopMargin;
        var max = items.Count == 0 ? 0 : items.Max(i => double.IsFinite(i.Value) ? Math.Max(0, i.Value) : 0);
        var slot = items.Count == 0 ? 0 : (double)(width - 2 * LeftMargin) / items.Count;
        var barWidth = Math.Max(1, slot * 0.8);
        // A label under every bar only while they fit; otherwise every k-th, so they do not overlap.
        var labelEvery = Math.Max(1, (int)Math.Ceiling(36 / Math.Max(slot, 1)));
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{LeftMargin}\" y1=\"{TopMargin + plotHeight}\" x2=\"{width - LeftMargin}\" y2=\"{TopMargin + plotHeight}\" stroke=\"#999\"/>");
        for (var i = 0; i < items.Count; i++)
        {
            var (label, raw) = items[i];
            var value = double.IsFinite(raw) ? Math.Max(0, raw) : 0;
            var h = max == 0 ? 0 : plotHeight * value / max;
            var x = LeftMargin + (i * slot) + ((slot - barWidth) / 2);
            var y = TopMargin + plotHeight - h;
            var text = Escape(label);
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"bar\" x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{barWidth:0.##}\" height=\"{h:0.##}\" fill=\"{Escape(color)}\"><title>{text}: {Number(raw)}</title></rect>");
            if (i % labelEvery == 0)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"<text class=\"label\" x=\"{x + (barWidth / 2):0.##}\" y=\"{TopMargin + plotHeight + 14}\" text-anchor=\"middle\">{text}</text>");
            }

            if (slot >= 24)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"<text class=\"value\" x=\"{x + (barWidth / 2):0.##}\" y=\"{y - 3:0.##}\" text-anchor=\"middle\">{Number(raw)}</text>");
            }
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>A histogram of a time distribution: one bar per bucket, labelled with the bucket.</summary>
    public static string Histogram(TimeDistribution distribution, string title = "", int width = 480, int height = 220) =>
        Bars(distribution.Buckets.Select(b => (b.Label, (double)b.Count)).ToList(), title, width, height, "#c0504d");

    private static string Number(double value) =>
        double.IsFinite(value) ? value.ToString(value == Math.Round(value) ? "0" : "0.##", CultureInfo.InvariantCulture) : "—";

    // HtmlEncode escapes <, >, &, " and ' — all that XML text and attribute values need; control characters are not
    // allowed in XML at all, so they become spaces.
    private static string Escape(string text) =>
        WebUtility.HtmlEncode(text.Any(char.IsControl) ? new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()) : text);
}
