using System.Text;

namespace CommunityBot.Faq;

/// <summary>A small RFC 4180 reader: quoted cells may hold commas, doubled quotes and line breaks.</summary>
public static class CsvReader
{
    /// <summary>Each record's cells with the 1-based line on which the record starts.</summary>
    public static IEnumerable<(int Line, List<string> Cells)> Read(TextReader reader)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var cellStarted = false;
        var any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        cell.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }
                    cell.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"' when !cellStarted:
                    quoted = true;
                    cellStarted = true;
                    any = true;
                    break;
                case '"':
                    throw new FaqFormatException($"Line {line}: a quote inside an unquoted cell; quote the whole cell and double the quote (\"\").");
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    cellStarted = false;
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (any || cell.Length > 0)
                    {
                        cells.Add(cell.ToString());
                        yield return (recordLine, cells);
                    }
                    cells = [];
                    cell.Clear();
                    cellStarted = false;
                    any = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    cell.Append(ch);
                    cellStarted = true;
                    any = true;
                    break;
            }
        }
        if (quoted)
        {
            throw new FaqFormatException($"Line {recordLine}: a quoted cell is never closed.");
        }
        if (any || cell.Length > 0)
        {
            cells.Add(cell.ToString());
            yield return (recordLine, cells);
        }
    }

    /// <summary>Quotes a cell when it needs it.</summary>
    public static string Escape(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
