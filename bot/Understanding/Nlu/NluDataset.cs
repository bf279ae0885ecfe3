using CommunityBot.Faq;
using MiniExcelLibs;

namespace CommunityBot.Understanding.Nlu;

/// <summary>Reads labelled messages (<c>text,label</c> with a header row) from a .csv or .xlsx file.</summary>
public static class NluDataset
{
    /// <summary>Throws <see cref="NluFormatException"/> naming the file and line on anything it cannot use.</summary>
    public static List<NluExample> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new NluFormatException($"{path}: no such file.");
        }
        var extension = Path.GetExtension(path).ToLowerInvariant();
        IEnumerable<(int Line, IReadOnlyList<string?> Cells)> rows;
        string rowWord;
        switch (extension)
        {
            case ".csv":
                using (var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true))
                {
                    rows = CsvReader.Read(reader).Select(r => (r.Line, (IReadOnlyList<string?>)r.Cells)).ToList();
                }
                rowWord = "line";
                break;
            case ".xlsx":
                try
                {
                    rows = MiniExcel.Query(path, useHeaderRow: false)
                        .Cast<IDictionary<string, object?>>()
                        .Select((row, i) => (i + 1, (IReadOnlyList<string?>)row.Values.Select(v => v?.ToString()).ToList()))
                        .ToList();
                }
                catch (Exception ex)
                {
                    throw new NluFormatException($"{path}: not a readable .xlsx file ({ex.Message}).");
                }
                rowWord = "row";
                break;
            default:
                throw new NluFormatException($"{path}: expected a .csv or .xlsx file with columns text,label.");
        }
        try
        {
            return Parse(rows, rowWord);
        }
        catch (NluFormatException ex)
        {
            throw new NluFormatException($"{Path.GetFileName(path)}: {ex.Message}");
        }
    }

    public static List<NluExample> Parse(IEnumerable<(int Line, IReadOnlyList<string?> Cells)> rows, string rowWord = "line")
    {
        using var enumerator = rows.GetEnumerator();
        if (!enumerator.MoveNext())
        {
            throw new NluFormatException("the file is empty: expected a header row text,label.");
        }
        var header = enumerator.Current.Cells.Select(c => (c ?? "").Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        var textAt = header.IndexOf("text");
        var labelAt = header.IndexOf("label");
        if (textAt < 0 || labelAt < 0)
        {
            throw new NluFormatException($"the header must name the columns text and label (found: {string.Join(',', header)}).");
        }
        var examples = new List<NluExample>();
        while (enumerator.MoveNext())
        {
            var (line, cells) = enumerator.Current;
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            var text = Cell(cells, textAt);
            var label = Cell(cells, labelAt);
            if (text.Length == 0)
            {
                throw new NluFormatException($"{rowWord} {line}: the text is empty.");
            }
            if (label.Length == 0)
            {
                throw new NluFormatException($"{rowWord} {line}: the label is empty.");
            }
            examples.Add(new NluExample(text, label, line));
        }
        if (examples.Count == 0)
        {
            throw new NluFormatException("no labelled rows under the header.");
        }
        return examples;
    }

    private static string Cell(IReadOnlyList<string?> cells, int at) => at < cells.Count ? (cells[at] ?? "").Trim() : "";
}
