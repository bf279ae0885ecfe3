using System.Text.RegularExpressions;
using CommunityBot.Dialogs.Directory;
using CommunityBot.Dialogs.Understanding;

namespace CommunityBot.Understanding.Extractors;

/// <summary>
/// Finds where: a compound from the directory (name or alias, longest match), building ("3号楼", "三号楼", "5栋",
/// "B座", "12#楼"), unit ("2单元"), room ("501室", or a 3–4 digit number straight after a unit or building:
/// "3号楼2单元501", "3-2-501") and a landmark from a configured list ("东门岗亭"). A bare number elsewhere is not a room.
/// </summary>
public sealed partial class LocationExtractor
{
    private readonly IDirectory _directory;
    private readonly string[] _landmarks;
    private volatile CompoundTable? _table;

    public LocationExtractor(IDirectory directory, IEnumerable<string> landmarks)
    {
        _directory = directory;
        _landmarks = landmarks.Where(l => !string.IsNullOrWhiteSpace(l)).Distinct().OrderByDescending(l => l.Length).ToArray();
    }

    /// <summary>The location in <paramref name="folded"/> (see <see cref="TextNormalizer.Fold"/>); spans index <paramref name="original"/>.</summary>
    public (LocationDetail Detail, int Start, int End)? Extract(string original, string folded)
    {
        var start = int.MaxValue;
        var end = -1;
        var parts = new List<(int Start, int End)>(4);
        void Mark(int s, int e)
        {
            start = Math.Min(start, s);
            end = Math.Max(end, e);
            parts.Add((s, e));
        }

        CompoundInfo? compound = null;
        var table = Table();
        foreach (var (name, info) in table.Names)
        {
            var at = folded.IndexOf(name, StringComparison.Ordinal);
            if (at >= 0)
            {
                compound = info;
                Mark(at, at + name.Length);
                break;
            }
        }

        string? building = null, unit = null, room = null;
        var roomAnchor = -1;
        var triple = Triple().Match(folded);
        if (triple.Success)
        {
            building = triple.Groups["b"].Value.TrimStart('0');
            unit = triple.Groups["u"].Value.TrimStart('0');
            room = triple.Groups["r"].Value;
            Mark(triple.Index, triple.Index + triple.Length);
        }
        else
        {
            foreach (Match m in Building().Matches(folded))
            {
                var raw = m.Groups["b"].Value;
                var suffix = m.Groups["s"].Value;
                var chinese = raw[0] is not (>= '0' and <= '9') && !char.IsAsciiLetter(raw[0]);
                if (chinese && suffix.EndsWith('楼') && suffix.Length == 2 && suffix[0] is '栋' or '幢')
                {
                    continue; // "一栋楼都停电了" counts buildings
                }
                building = Canonical(raw);
                if (building is null)
                {
                    continue;
                }
                Mark(m.Index, m.Index + m.Length);
                roomAnchor = m.Index + m.Length;
                break;
            }
            var u = Unit().Match(folded, roomAnchor < 0 ? 0 : roomAnchor);
            if (!u.Success && roomAnchor >= 0)
            {
                u = Unit().Match(folded);
            }
            if (u.Success && Canonical(u.Groups["u"].Value) is { } unitValue)
            {
                unit = unitValue;
                Mark(u.Index, u.Index + u.Length);
                roomAnchor = u.Index + u.Length;
            }
            if (roomAnchor >= 0)
            {
                var r = RoomAfter().Match(folded, roomAnchor);
                if (r.Success && r.Index == roomAnchor)
                {
                    room = RoomNumber(r.Groups["r"].Value);
                    Mark(r.Groups["r"].Index, r.Index + r.Length);
                }
            }
            if (room is null)
            {
                var r = RoomLabelled().Match(folded);
                if (r.Success)
                {
                    room = r.Groups["r"].Value;
                    Mark(r.Groups["r"].Index, r.Index + r.Length);
                }
            }
        }

        string? landmark = null;
        foreach (var name in _landmarks)
        {
            var at = folded.IndexOf(name, StringComparison.Ordinal);
            while (at >= 0 && Covered(parts, at, at + name.Length))
            {
                at = folded.IndexOf(name, at + 1, StringComparison.Ordinal);
            }
            if (at >= 0)
            {
                landmark = name;
                Mark(at, at + name.Length);
                break;
            }
        }

        if (end < 0)
        {
            return null;
        }
        // One span when the parts sit together ("幸福里3号楼2单元501"); the parts alone when other words lie
        // between them ("柳岸2栋…堆了好多纸箱，消防通道" gives "柳岸2栋消防通道").
        parts.Sort();
        var together = true;
        for (var i = 1; i < parts.Count; i++)
        {
            if (parts[i].Start - parts[i - 1].End > MaxGap)
            {
                together = false;
                break;
            }
        }
        var text = together ? original[start..end] : string.Concat(parts.Select(p => original[p.Start..p.End]));
        var detail = new LocationDetail
        {
            CompoundId = compound?.Id,
            CompoundName = compound?.Name,
            Building = building,
            Unit = unit,
            Room = room,
            Landmark = landmark,
            Text = text,
        };
        return (detail, start, end);
    }

    // "五零一" as voice input writes it is room 501; digits stay as written ("0501").
    private static string RoomNumber(string raw) =>
        raw[0] is >= '0' and <= '9' ? raw : ChineseNumber.ParseInt(raw)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? raw;

    private const int MaxGap = 3;

    private static bool Covered(List<(int Start, int End)> parts, int s, int e)
    {
        foreach (var p in parts)
        {
            if (s < p.End && p.Start < e)
            {
                return true;
            }
        }
        return false;
    }

    private static string? Canonical(string raw)
    {
        if (raw.Length == 1 && char.IsAsciiLetter(raw[0]))
        {
            return char.ToUpperInvariant(raw[0]).ToString();
        }
        return ChineseNumber.ParseInt(raw) is > 0 and var n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private CompoundTable Table()
    {
        var compounds = _directory.Compounds();
        var table = _table;
        if (table is not null && ReferenceEquals(table.Source, compounds))
        {
            return table;
        }
        // The directory may hand out a new list when staff edit it; rebuild the lookup then, not per message.
        var names = new List<(string, CompoundInfo)>();
        foreach (var c in compounds)
        {
            names.Add((c.Name, c));
            if (c.Name.EndsWith("小区", StringComparison.Ordinal) && c.Name.Length > 3)
            {
                names.Add((c.Name[..^2], c));
            }
            foreach (var alias in c.Aliases)
            {
                if (!string.IsNullOrWhiteSpace(alias))
                {
                    names.Add((alias, c));
                }
            }
        }
        table = new CompoundTable(compounds, [.. names.OrderByDescending(n => n.Item1.Length)]);
        _table = table;
        return table;
    }

    private sealed record CompoundTable(IReadOnlyList<CompoundInfo> Source, (string Name, CompoundInfo Compound)[] Names);

    // "3-2-501": building-unit-room, the way addresses are written on forms.
    [GeneratedRegex(@"(?<![0-9.:/-])(?<b>[0-9]{1,2})-(?<u>[0-9]{1,2})-(?<r>[0-9]{3,4})(?![0-9.:/-])", RegexOptions.CultureInvariant)]
    private static partial Regex Triple();

    // "3号楼" "三号楼" "5栋" "5幢" "B座" "12#楼" "3#", and "3号" only when a unit follows ("3号2单元"); "两" is a count.
    [GeneratedRegex(@"(?<![0-9A-Za-z零〇一二三四五六七八九十百])(?<b>[0-9]{1,3}|[A-Za-z]|[一二三四五六七八九十百零〇]{1,4}) ?(?<s>号楼|栋楼?|幢楼?|座楼?|#楼?|号(?= ?(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3}) ?单元))", RegexOptions.CultureInvariant)]
    private static partial Regex Building();

    [GeneratedRegex(@"(?<![0-9零〇一二三四五六七八九十])(?<u>[0-9]{1,2}|[一二三四五六七八九十]{1,3}) ?单元", RegexOptions.CultureInvariant)]
    private static partial Regex Unit();

    // Straight after a unit or building: optional joiner, then 3–4 digits (a 5th digit or a unit word means it is something else).
    [GeneratedRegex(@"[ ,，的-]{0,2}(?:楼)?(?<r>[0-9]{3,4}|[零〇一二三四五六七八九幺]{3,4})(?:室|房间|房|号)?(?![0-9零〇一二三四五六七八九十百千]|单元|号楼|栋|幢|点|年|元|块|月|次|个|天)", RegexOptions.CultureInvariant)]
    private static partial Regex RoomAfter();

    // "501室", or "我家是501" / "住301" / "房号1502": a number the resident says is their home.
    [GeneratedRegex(@"(?<![0-9])(?<r>[0-9]{3,4}) ?(?:室|房间)|(?:我家是?|家住|住在?|房间?号是?|门牌号?是?) ?(?<r>[0-9]{3,4})(?: ?(?:室|房间))?(?![0-9]|块|元|天(?!花)|年|号楼|栋|幢|个|次)", RegexOptions.CultureInvariant)]
    private static partial Regex RoomLabelled();
}
