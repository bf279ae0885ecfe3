using System.Text;
using MiniExcelLibs;

namespace CommunityBot.Faq;

/// <summary>
/// Reads and writes knowledge-base files, <c>.csv</c> (UTF-8, RFC 4180) or <c>.xlsx</c>, with the columns
/// <c>id,question,similar,answer[,category][,scope]</c>; <c>similar</c> holds one phrasing per line. A row with a
/// <c>scope</c> (a compound or community of the directory) is a variant of the entry with the same id: its answer is
/// given there instead of the general one, which comes from the entry's row without a scope. A variant row leaves
/// <c>similar</c> and <c>category</c> empty (they belong to the entry) and may repeat the question for readability.
/// Reading keeps the scope as written; <see cref="FaqScopes.Resolve"/> checks it against the directory.
/// </summary>
public static class FaqFileFormat
{
    private static readonly string[] Columns = ["id", "question", "similar", "answer", "category", "scope"];
    private const string ColumnList = "id,question,similar,answer[,category][,scope]";
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

    /// <param name="scopeName">How a variant's scope is written (the directory's name); its id when null.</param>
    public static void Write(string path, IEnumerable<FaqEntry> entries, Func<FaqVariant, string>? scopeName = null)
    {
        switch (Extension(path))
        {
            case ".csv":
                using (var writer = new StreamWriter(path, false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
                {
                    WriteCsv(writer, entries, scopeName);
                }
                break;
            case ".xlsx":
                var list = entries.ToList();
                var withScope = list.Any(e => e.Variants.Count > 0);
                var rows = Rows(list, scopeName).Select(r =>
                {
                    var row = new Dictionary<string, object>();
                    for (var i = 0; i < (withScope ? Columns.Length : Columns.Length - 1); i++)
                    {
                        row[Columns[i]] = r[i];
                    }
                    return row;
                }).ToList();
                MiniExcel.SaveAs(path, rows, overwriteFile: true);
                break;
            default:
                throw new FaqFormatException($"{path}: use a .csv or .xlsx file.");
        }
    }

    public static void WriteCsv(TextWriter writer, IEnumerable<FaqEntry> entries, Func<FaqVariant, string>? scopeName = null)
    {
        var list = entries.ToList();
        // Without variants the file has the five columns it always had, so other tools reading it see no change.
        var columns = list.Any(e => e.Variants.Count > 0) ? Columns.Length : Columns.Length - 1;
        // CRLF line ends as RFC 4180 asks; line breaks inside cells stay \n.
        writer.Write(string.Join(',', Columns.Take(columns)) + "\r\n");
        foreach (var row in Rows(list, scopeName))
        {
            writer.Write(string.Join(',', row.Take(columns).Select(CsvReader.Escape)));
            writer.Write("\r\n");
        }
    }

    // Each entry's row, then one row per variant: the question repeated, no phrasings or category, the scope named.
    private static IEnumerable<string[]> Rows(IEnumerable<FaqEntry> entries, Func<FaqVariant, string>? scopeName)
    {
        foreach (var e in entries)
        {
            yield return [e.Id, e.Question, string.Join('\n', e.Similar), e.Answer, e.Category, ""];
            foreach (var v in e.Variants)
            {
                yield return [e.Id, e.Question, "", v.Answer, "", scopeName?.Invoke(v) ?? v.ScopeId];
            }
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
            throw new FaqFormatException($"The file is empty: expected a header row {ColumnList}.");
        }
        var header = enumerator.Current.Cells.Select(c => (c ?? "").Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        while (header.Count > 0 && header[^1].Length == 0)
        {
            header.RemoveAt(header.Count - 1);
        }
        foreach (var column in header.Where(c => !Columns.Contains(c)))
        {
            throw new FaqFormatException($"Header: unknown column \"{column}\"; expected {ColumnList}.");
        }
        foreach (var column in RequiredColumns.Where(c => !header.Contains(c)))
        {
            throw new FaqFormatException($"Header: the column \"{column}\" is missing; expected {ColumnList}.");
        }
        var at = Columns.ToDictionary(c => c, c => header.IndexOf(c));

        var entries = new List<FaqEntry>();
        var variants = new List<(string Id, string Question, string Category, FaqVariant Variant)>();
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
            var where = $"{Cap(rowWord)} {line}";
            if (Cell("scope") is { Length: > 0 } scope)
            {
                var question = Cell("question");
                var answer = Required("answer");
                if (Cell("similar").Length > 0)
                {
                    throw new FaqFormatException($"{where}, column similar: a row with a scope gives only that place's answer; put the phrasings on the entry's row without a scope.");
                }
                variants.Add((id, question, Cell("category"), new FaqVariant { Written = scope, Answer = answer, Source = where }));
                continue;
            }
            if (seen.TryGetValue(id, out var first))
            {
                throw new FaqFormatException($"{where}, column id: \"{id}\" is already used on {rowWord} {first}.");
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

        var byId = entries.ToDictionary(e => e.Id, StringComparer.Ordinal);
        foreach (var (id, question, category, variant) in variants)
        {
            if (!byId.TryGetValue(id, out var entry))
            {
                throw new FaqFormatException($"{variant.Source}, column id: \"{id}\" has a scope but no row without one; every entry needs its general answer.");
            }
            if (question.Length > 0 && question != entry.Question)
            {
                throw new FaqFormatException($"{variant.Source}, column question: differs from the question of \"{id}\" on {rowWord} {seen[id]}; leave it empty or the same.");
            }
            if (category.Length > 0 && category != entry.Category)
            {
                throw new FaqFormatException($"{variant.Source}, column category: differs from the category of \"{id}\" on {rowWord} {seen[id]}; leave it empty or the same.");
            }
            if (entry.Variants.Find(v => string.Equals(v.Written, variant.Written, StringComparison.Ordinal)) is { } twice)
            {
                throw new FaqFormatException($"{variant.Source}, column scope: \"{id}\" already has an answer for \"{variant.Written}\" ({twice.Source}).");
            }
            entry.Variants.Add(variant);
        }
        return entries;
    }

    private static string Cap(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    private static string Extension(string path) => Path.GetExtension(path).ToLowerInvariant();
}
