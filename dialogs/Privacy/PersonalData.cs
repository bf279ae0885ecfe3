using System.Text;
using System.Text.RegularExpressions;

namespace CommunityBot.Dialogs.Privacy;

/// <summary>
/// The one rule for personal data in anything a group, another platform or the public sees (the group's
/// confirmation and receipts, Open311, the district's copy): phone numbers are hidden entirely and room numbers
/// are starred, wherever a resident or a worker wrote them into free text. Only the handling worker's private card
/// and the console show the stored details.
/// </summary>
public static partial class PersonalData
{
    /// <summary>What a phone number (or any long run of digits: an ID card, a bank card) becomes.</summary>
    public const string HiddenNumber = "（号码已隐藏）";

    /// <summary>What a room number becomes; the building and unit around it stay (they are public, like the receipt's place).</summary>
    public const string HiddenRoom = "***";

    /// <summary>
    /// <paramref name="text"/> with every phone number hidden (mobiles also as "138 1234 5678", "138-1234-5678",
    /// "+86 138…"; landlines as "010-12345678", "(0371)6600 1234" or a bare "66001234"; runs of nine or more digits)
    /// and every room number starred ("3-2-501", "501室", "3单元201", "家住1203"), as well as
    /// <paramref name="room"/>, the room the resident gave, wherever it stands on its own.
    /// </summary>
    public static string Hide(string text, string? room = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var hidden = Number().Replace(text, HiddenNumber);
        hidden = Room().Replace(hidden, StarRoom);
        return string.IsNullOrEmpty(room) ? hidden : HideStandalone(hidden, room);
    }

    /// <summary>
    /// A phone number shown back to its owner or to staff who may know it is there: "13812345678" → "138****5678".
    /// Never for free text: that is <see cref="Hide"/>.
    /// </summary>
    public static string MaskPhone(string phone) =>
        phone.Length >= 7 ? string.Concat(phone.AsSpan(0, 3), "****", phone.AsSpan(phone.Length - 4)) : "****";

    private static string StarRoom(Match match)
    {
        var room = match.Groups["room"];
        var start = room.Index - match.Index;
        return string.Concat(match.ValueSpan[..start], HiddenRoom, match.ValueSpan[(start + room.Length)..]);
    }

    // The known room, not where it is part of a longer number ("501" in "1501元").
    private static string HideStandalone(string text, string room)
    {
        var result = new StringBuilder(text.Length);
        var from = 0;
        for (var at = text.IndexOf(room, StringComparison.Ordinal); at >= 0; at = text.IndexOf(room, at + 1, StringComparison.Ordinal))
        {
            var end = at + room.Length;
            if (at < from || (at > 0 && char.IsAsciiDigit(text[at - 1])) || (end < text.Length && char.IsAsciiDigit(text[end])))
            {
                continue;
            }

            result.Append(text, from, at - from).Append(HiddenRoom);
            from = end;
        }

        return from == 0 ? text : result.Append(text, from, text.Length - from).ToString();
    }

    // One pass, the alternatives in this order at each position:
    // a mobile (optionally +86 / 0086 / 86, single spaces or dashes between digits);
    // a landline with its area code (0371-66001234, (010)12345678, +86 371 6600 1234);
    // any other run of nine or more digits (an ID card ending in X, a bank card);
    // a local landline of seven or eight digits, not an amount, a length or a year.
    // A digit or letter just before means the digits belong to something else (a ticket number WT20261123-0001).
    [GeneratedRegex("""
        (?<![0-9A-Za-z])
        (?:
          (?:(?:\+|00)\ ?)?(?:86[\ -]?)?1[3-9][0-9](?:[\ -]?[0-9]){8}
        | (?:(?:\+|00)\ ?86[\ -]?\(?0?[1-9][0-9]{1,2}\)?|\(0[1-9][0-9]{1,2}\)|0[1-9][0-9]{1,2})[\ -]?[1-9][0-9]{2,3}[\ -]?[0-9]{4}
        | [0-9]{9,}[Xx]?
        | [2-9][0-9]{2,3}[\ -]?[0-9]{4}(?![0-9]|[.,][0-9]|元|块|万|亿|米|年|平|次|个|人|户)
        )
        (?![0-9])
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    // The group "room" is starred, the rest of the match kept:
    // building-unit-room (3-2-501), a room before 室/房 (501室, 五零一室), a room after a building, unit or floor
    // (3单元201, 5号楼1203, 12楼1201, 6#502), and after 家住/住在/门牌/房号 (家住501).
    [GeneratedRegex("""
          (?<![0-9A-Za-z.:/\-])[0-9]{1,3}-[0-9]{1,2}-(?<room>[0-9]{3,4})(?![0-9.:/\-])
        | (?<![0-9零〇一二三四五六七八九十百])(?<room>[0-9]{3,4}|[零〇一二三四五六七八九幺]{3,4})\ ?(?=室|房)
        | (?:单元|楼|栋|幢|座|\#)[\ -]?(?<room>[0-9]{3,4})(?![0-9]|单元|号楼|栋|幢|座|点|年|元|块|月|次|个|天|米|平|户|人|路)
        | (?:家住|住在|住|门牌号?是?|房号是?|房间号?是?)[\ :：]?(?<room>[0-9]{3,4})(?![0-9]|单元|号楼|栋|幢|座|点|年|元|块|月|次|个|天|米|平|户|人|路)
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Room();
}
