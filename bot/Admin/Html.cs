using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace CommunityBot.Admin;

/// <summary>
/// A piece of HTML that is safe to send. <see cref="Of"/> builds one from an interpolated string in which every
/// hole is HTML-encoded unless it is itself <see cref="Html"/>, so escaping is the default and raw markup the exception.
/// </summary>
public readonly record struct Html(string Value)
{
    // Chinese text stays readable in the page source; markup characters and quotes are encoded.
    internal static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static Html Empty { get; } = new("");

    public static Html Of(HtmlBuilder builder) => builder.Build();

    /// <summary>Markup written by us (never user input).</summary>
    public static Html Raw(string markup) => new(markup);

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public static Html When(bool condition, Html html) => condition ? html : Empty;

    public override string ToString() => Value;
}

/// <summary>Encodes the holes of an interpolated string for <see cref="Html.Of"/>.</summary>
[InterpolatedStringHandler]
public ref struct HtmlBuilder
{
    private readonly StringBuilder _builder;

    public HtmlBuilder(int literalLength, int formattedCount)
    {
        _builder = new StringBuilder(literalLength + formattedCount * 16);
    }

    public readonly void AppendLiteral(string literal) => _builder.Append(literal);

    public readonly void AppendFormatted(Html html) => _builder.Append(html.Value);

    public readonly void AppendFormatted(IEnumerable<Html> parts)
    {
        foreach (var part in parts)
        {
            _builder.Append(part.Value);
        }
    }

    public readonly void AppendFormatted(string? text) => _builder.Append(Html.Encoder.Encode(text ?? ""));

    public readonly void AppendFormatted<T>(T value) =>
        _builder.Append(Html.Encoder.Encode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));

    public readonly void AppendFormatted<T>(T value, string format)
        where T : IFormattable =>
        _builder.Append(Html.Encoder.Encode(value.ToString(format, CultureInfo.InvariantCulture)));

    internal readonly Html Build() => new(_builder.ToString());
}
