using CommunityBot.Admin;

namespace CommunityBot.Tests.Admin;

public sealed class HtmlTests
{
    [Fact]
    public void Of_TextHoles_AreEncodedAndChineseStaysReadable()
    {
        var question = "<script>alert('x')</script> 物业\"电话\"";

        var html = Html.Of($"""<input value="{question}">""");

        Assert.Equal("<input value=\"&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; 物业&quot;电话&quot;\">", html.Value);
    }

    [Fact]
    public void Of_HtmlHoles_AreKeptAsMarkup()
    {
        var rows = new[] { "a&b", "c" }.Select(x => Html.Of($"<li>{x}</li>"));

        Assert.Equal("<ul><li>a&amp;b</li><li>c</li></ul>", Html.Of($"<ul>{rows}</ul>").Value);
    }
}
