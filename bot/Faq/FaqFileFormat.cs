using System.Text;
using MiniExcelLibs;

namespace CommunityBot.Faq;

/// <summary>
/// Reads and writes knowledge-base files, <c>.csv</c> (UTF-8, RFC 4180) or <c>.xlsx</c>, with the columns
/// <c>id,question,similar,answer[,category]</c>; <c>similar</c> holds one phrasing per line.
/// </summary>
public static class FaqFileFormat
{
    private static readonly string[] Columns = ["id", "question", "similar", "answer", "category"];
    private static readonly string[] RequiredColumns = ["id", "question", "answer"];

    /// <summary>Reads and validates every row; throws <see cref="FaqFormatException"/> naming the first bad row and column.</summary>
    public static List<FaqEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FaqFormatException($"{path}: no such file.");
        }
        return Extension(path) switch
        {
            ".csv" => ReadCsv(File.OpenText(path)),
            ".xlsx" => ReadXlsx(path),
            _ => throw new FaqFormatException($"{path}: use a .csv or .xlsx file."),
        };
    }

    public static List<FaqEntry> ReadCsv(TextReader reader)
    {
        using (reader)
        {
            var rows = CsvReader.Read(reader).Select(r => (r.Line, (IReadOnlyList<string?>)r.Cells));
            return Parse(rows, "line");
        }
    }

    public static void Write(string path, IEnumerable<FaqEntry> entries)
    {
        switch (Extension(path))
        {
            case ".csv":
                using (var writer = new StreamWriter(path, false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
                {
                    WriteCsv(writer, entries);
                }
                break;
            case ".xlsx":
                var rows = entries.Select(e => new Dictionary<string, object>
                {
                    ["id"] = e.Id,
                    ["question"] = e.Question,
                    ["similar"] = string.Join('\n', e.Similar),
                    ["answer"] = e.Answer,
                    ["category"] = e.Category,
                }).ToList();
                MiniExcel.SaveAs(path, rows, overwriteFile: true);
                break;
            default:
                throw new FaqFormatException($"{path}: use a .csv or .xlsx file.");
        }
    }

    public static void WriteCsv(TextWriter writer, IEnumerable<FaqEntry> entries)
    {
        // CRLF line ends as RFC 4180 asks; line breaks inside cells stay \n.
        writer.Write(string.Join(',', Columns) + "\r\n");
        foreach (var e in entries)
        {
            writer.Write(string.Join(',', new[] { e.Id, e.Question, string.Join('\n', e.Similar), e.Answer, e.Category }.Select(CsvReader.Escape)));
            writer.Write("\r\n");
        }
    }

    private static List<FaqEntry> ReadXlsx(string path)
    {
        List<IReadOnlyList<string?>> sheet;
        try
        {
            sheet = MiniExcel.Query(path, useHeaderRow: false)
                .Cast<IDictionary<string, object?>>()
                .Select(row => (IReadOnlyList<string?>)row.Values.Select(v => v?.ToString()).ToList())
                .ToList();
        }
        catch (Exception ex) when (ex is not FaqFormatException)
        {
            throw new FaqFormatException($"{path}: not a readable .xlsx file ({ex.Message}).");
        }
        return Parse(sheet.Select((cells, i) => (i + 1, cells)), "row");
    }

    private static List<FaqEntry> Parse(IEnumerable<(int Line, IReadOnlyList<string?> Cells)> rows, string rowWord)
    {
        using var enumerator = rows.GetEnumerator();
        if (!enumerator.MoveNext())
        {
            throw new FaqFormatException("The file is empty: expected a header row id,question,similar,answer[,category].");
        }
        var header = enumerator.Current.Cells.Select(c => (c ?? "").Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        while (header.Count > 0 && header[^1].Length == 0)
        {
            header.RemoveAt(header.Count - 1);
        }
        foreach (var column in header.Where(c => !Columns.Contains(c)))
        {
            throw new FaqFormatException($"Header: unknown column \"{column}\"; expected id,question,similar,answer[,category].");
        }
        foreach (var column in RequiredColumns.Where(c => !header.Contains(c)))
        {
            throw new FaqFormatException($"Header: the column \"{column}\" is missing; expected id,question,similar,answer[,category].");
        }
        var at = Columns.ToDictionary(c => c, c => header.IndexOf(c));

        var entries = new List<FaqEntry>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var now = DateTimeOffset.UtcNow;
        while (enumerator.MoveNext())
        {
            var (line, cells) = enumerator.Current;
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            for (var i = header.Count; i < cells.Count; i++)
            {
                if (!string.IsNullOrWhiteSpace(cells[i]))
                {
                    throw new FaqFormatException($"{Cap(rowWord)} {line}: {cells.Count} cells but the header has {header.Count} columns (an unquoted comma?).");
                }
            }
            string Cell(string column) => at[column] is var i && i >= 0 && i < cells.Count ? (cells[i] ?? "").Trim() : "";
            string Required(string column) => Cell(column) is { Length: > 0 } value
                ? value
                : throw new FaqFormatException($"{Cap(rowWord)} {line}, column {column}: empty; every entry needs one.");

            var id = Required("id");
            if (seen.TryGetValue(id, out var first))
            {
                throw new FaqFormatException($"{Cap(rowWord)} {line}, column id: \"{id}\" is already used on {rowWord} {first}.");
            }
            seen[id] = line;
            entries.Add(new FaqEntry
            {
                Id = id,
                Question = Required("question"),
                Similar = Cell("similar").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList(),
                Answer = Required("answer"),
                Category = Cell("category"),
                Enabled = true,
                Updated = now,
            });
        }
        return entries;
    }

    private static string Cap(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    private static string Extension(string path) => Path.GetExtension(path).ToLowerInvariant();
}
