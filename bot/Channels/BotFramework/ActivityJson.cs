using System.Text.Json;

namespace CommunityBot.Channels.BotFramework;

/// <summary>
/// The check of an <c>/api/messages</c> body before the SDK reads it: one pass of a JSON reader over the bytes. The SDK's
/// reader (Newtonsoft) is lenient where the rest of the product is not: it takes a number as the activity type and keeps a
/// lone surrogate escape ("\ud800") in a string, which System.Text.Json then refuses to write when the turn stores its
/// state and replies. Such a body is a 400 here; what the SDK then reads is checked again (<see cref="ActivityMapper.FindProblem"/>).
/// </summary>
public static class ActivityJson
{
    public const string NotAnActivity = "The body is not a JSON activity object.";

    public const string InvalidUtf16 = "The activity holds a string that is not valid UTF-16 (a lone surrogate escape).";

    public const string NoType = "The activity has no type.";

    /// <summary>
    /// Null when the body is one JSON object with a string <c>type</c> and only well-formed strings (UTF-8 that decodes,
    /// escapes that make valid UTF-16, at most 64 levels deep); otherwise the problem.
    /// </summary>
    public static string? FindProblem(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        var hasType = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return NotAnActivity;
            }

            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.String))
                {
                    continue;
                }

                if (reader.ValueIsEscaped)
                {
                    // Unescaping is where an invalid surrogate shows; unescaped text was already validated as UTF-8.
                    _ = reader.GetString();
                }

                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    // A type that is not a non-empty string leaves hasType false; an object or array is read on as usual.
                    if (reader.TokenType == JsonTokenType.String && (reader.ValueIsEscaped ? reader.GetString()!.Length > 0 : reader.ValueSpan.Length > 0))
                    {
                        hasType = true;
                    }
                }
            }
        }
        catch (JsonException)
        {
            return NotAnActivity;
        }
        catch (InvalidOperationException)
        {
            return InvalidUtf16;
        }

        return hasType ? null : NoType;
    }
}
