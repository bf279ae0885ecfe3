using System.Data;
using System.Globalization;
using MiniExcelLibs;

namespace CommunityBot.Directory;

/// <summary>
/// Reads and writes the directory as one .xlsx workbook with the sheets <c>communities</c>, <c>grids</c>,
/// <c>compounds</c>, <c>workers</c>, <c>roster</c>, <c>leave</c> and <c>departments</c> (columns in
/// <c>bot/Directory/README.md</c>). Reading checks every row and every reference and throws
/// <see cref="DirectoryFormatException"/> naming the sheet, row and column of the first problem.
/// </summary>
public static class DirectoryWorkbook
{
    private static readonly Dictionary<string, string[]> Columns = new()
    {
        ["communities"] = ["id", "name", "phone", "street_office", "street_office_phone"],
        ["grids"] = ["id", "name", "community", "worker", "deputy"],
        ["compounds"] = ["id", "name", "aliases", "community", "buildings", "grids"],
        ["workers"] = ["id", "name", "role", "community", "phone", "deputy", "teams_user_id", "aad_object_id", "tenant_id", "wecom_userid", "webchat_user_id", "active"],
        ["roster"] = ["grid", "worker", "days", "start", "end"],
        ["leave"] = ["worker", "start", "end", "reason"],
        ["departments"] = ["id", "name", "categories", "contact", "phone"],
    };

    private static readonly string[] RequiredSheets = ["communities", "grids", "compounds", "workers"];

    private static readonly char[] ListSeparators = [',', '，', '、', ';', '；', '\n'];

    /// <summary>Reads and validates the workbook; the result is consistent (references resolve).</summary>
    public static (DirectoryData Data, DirectoryValidator.Locator Locate) Read(string path, TimeZoneInfo zone)
    {
        if (!File.Exists(path))
        {
            throw new DirectoryFormatException($"{path}: no such file.");
        }
        if (!string.Equals(Path.GetExtension(path), ".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            throw new DirectoryFormatException($"{path}: use an .xlsx workbook.");
        }

        Dictionary<string, Sheet> sheets;
        try
        {
            var names = MiniExcel.GetSheetNames(path);
            sheets = Columns.Keys.Where(names.Contains).ToDictionary(name => name, name => Sheet.Load(path, name));
        }
        catch (Exception ex) when (ex is not DirectoryFormatException)
        {
            throw new DirectoryFormatException($"{path}: not a readable .xlsx workbook ({ex.Message}).");
        }
        foreach (var name in RequiredSheets.Where(n => !sheets.ContainsKey(n)))
        {
            throw new DirectoryFormatException($"The sheet \"{name}\" is missing; the workbook needs the sheets {string.Join(", ", Columns.Keys)}.");
        }
        Sheet Get(string name) => sheets.TryGetValue(name, out var sheet) ? sheet : Sheet.Empty(name);

        var communities = Get("communities");
        string? officeName = null;
        string? officePhone = null;
        foreach (var row in communities.Rows)
        {
            if (row.Optional("street_office") is { } name)
            {
                if (officeName is not null && name != officeName)
                {
                    throw row.Error("street_office", $"\"{name}\" differs from \"{officeName}\" above; one workbook holds one street office.");
                }
                officeName = name;
            }
            officePhone ??= row.Optional("street_office_phone");
        }

        var data = new DirectoryData
        {
            StreetOffice = new StreetOffice { Name = officeName ?? "", Phone = officePhone },
            Communities = communities.Rows.Select(r => new Community { Id = r.Required("id"), Name = r.Required("name"), Phone = r.Optional("phone") }).ToList(),
            Grids = Get("grids").Rows.Select(r => new Grid
            {
                Id = r.Required("id"),
                Name = r.Required("name"),
                Community = r.Required("community"),
                WorkerId = r.Optional("worker"),
                DeputyWorkerId = r.Optional("deputy"),
            }).ToList(),
            Compounds = Get("compounds").Rows.Select(ReadCompound).ToList(),
            Workers = Get("workers").Rows.Select(r => new Worker
            {
                Id = r.Required("id"),
                Name = r.Required("name"),
                Role = ParseRole(r),
                Community = r.Optional("community"),
                Phone = r.Optional("phone"),
                DeputyWorkerId = r.Optional("deputy"),
                TeamsUserId = r.Optional("teams_user_id"),
                AadObjectId = r.Optional("aad_object_id"),
                TenantId = r.Optional("tenant_id"),
                WeComUserId = r.Optional("wecom_userid"),
                WebChatUserId = r.Optional("webchat_user_id"),
                Active = ParseActive(r),
            }).ToList(),
            Roster = Get("roster").Rows.Select(r => new DutyShift
            {
                GridId = r.Required("grid"),
                WorkerId = r.Required("worker"),
                Days = ParseDays(r),
                Start = ParseTime(r, "start"),
                End = ParseTime(r, "end"),
            }).ToList(),
            Leave = Get("leave").Rows.Select(r => new LeavePeriod
            {
                WorkerId = r.Required("worker"),
                Start = ParseMoment(r, "start", zone, endOfDay: false),
                End = ParseMoment(r, "end", zone, endOfDay: true),
                Reason = r.Optional("reason"),
            }).ToList(),
            Departments = Get("departments").Rows.Select(r => new Department
            {
                Id = r.Required("id"),
                Name = r.Required("name"),
                Categories = SplitList(r.Optional("categories")),
                Contact = r.Optional("contact"),
                Phone = r.Optional("phone"),
            }).ToList(),
        };

        DirectoryValidator.Locator locate = (sheet, index, column) =>
        {
            var rows = Get(sheet).Rows;
            return index < rows.Count ? $"sheet {sheet}, row {rows[index].Number}, column {column}" : $"sheet {sheet}, column {column}";
        };
        DirectoryValidator.Validate(data, locate);
        return (data, locate);
    }

    /// <summary>Writes the whole directory; every cell is text so phone numbers and ids keep their leading zeros.</summary>
    public static void Write(string path, DirectoryData data, TimeZoneInfo zone)
    {
        var sheets = new Dictionary<string, object>
        {
            ["communities"] = Table("communities", data.Communities.Select((c, i) => new[]
            {
                c.Id, c.Name, c.Phone, i == 0 ? data.StreetOffice.Name : null, i == 0 ? data.StreetOffice.Phone : null,
            })),
            ["grids"] = Table("grids", data.Grids.Select(g => new[] { g.Id, g.Name, g.Community, g.WorkerId, g.DeputyWorkerId })),
            ["compounds"] = Table("compounds", data.Compounds.Select(c => new[]
            {
                c.Id, c.Name, string.Join('、', c.Aliases), c.Community, BuildingName.FormatList(c.Buildings), FormatGrids(c),
            })),
            ["workers"] = Table("workers", data.Workers.Select(w => new[]
            {
                w.Id, w.Name, w.Role.ToString().ToLowerInvariant(), w.Community, w.Phone, w.DeputyWorkerId,
                w.TeamsUserId, w.AadObjectId, w.TenantId, w.WeComUserId, w.WebChatUserId, w.Active ? null : "no",
            })),
            ["roster"] = Table("roster", data.Roster.Select(s => new[]
            {
                s.GridId, s.WorkerId, FormatDays(s.Days), s.Start.ToString("HH:mm", CultureInfo.InvariantCulture), s.End.ToString("HH:mm", CultureInfo.InvariantCulture),
            })),
            ["leave"] = Table("leave", data.Leave.Select(l => new[]
            {
                l.WorkerId, FormatMoment(l.Start, zone), FormatMoment(l.End, zone), l.Reason,
            })),
            ["departments"] = Table("departments", data.Departments.Select(d => new[]
            {
                d.Id, d.Name, string.Join('、', d.Categories), d.Contact, d.Phone,
            })),
        };
        MiniExcel.SaveAs(path, sheets, overwriteFile: true);
    }

    private static Compound ReadCompound(Row row)
    {
        var buildings = BuildingName.ParseList(row.Optional("buildings") ?? "")
            ?? throw row.Error("buildings", "an impossible range; write e.g. 1-12号楼, 15号楼.");
        string? defaultGrid = null;
        var splits = new List<BuildingAssignment>();
        foreach (var part in (row.Optional("grids") ?? "").Split([';', '；', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.IndexOfAny([':', '：']);
            if (colon < 0)
            {
                if (defaultGrid is not null)
                {
                    throw row.Error("grids", $"two grids for the whole compound ({defaultGrid}, {part}); give a split as GRID: buildings; GRID: buildings.");
                }
                defaultGrid = part;
                continue;
            }
            var gridId = part[..colon].Trim();
            var covered = BuildingName.ParseList(part[(colon + 1)..]);
            if (gridId.Length == 0 || covered is null || covered.Count == 0)
            {
                throw row.Error("grids", $"\"{part}\" is not GRID: buildings (e.g. FH-01-01: 1-6号楼).");
            }
            splits.Add(new BuildingAssignment { GridId = gridId, Buildings = covered });
        }
        return new Compound
        {
            Id = row.Required("id"),
            Name = row.Required("name"),
            Aliases = SplitList(row.Optional("aliases")),
            Community = row.Required("community"),
            Buildings = buildings,
            GridId = defaultGrid ?? splits.FirstOrDefault()?.GridId,
            BuildingGrids = splits,
        };
    }

    private static string? FormatGrids(Compound compound)
    {
        var splits = compound.BuildingGrids.Select(a => $"{a.GridId}: {BuildingName.FormatList(a.Buildings)}").ToList();
        if (compound.GridId is { } grid && (compound.BuildingGrids.Count == 0 || compound.BuildingGrids[0].GridId != grid))
        {
            splits.Insert(0, grid);
        }
        return splits.Count == 0 ? null : string.Join("; ", splits);
    }

    private static WorkerRole ParseRole(Row row) => row.Required("role").ToLowerInvariant() switch
    {
        "grid" or "网格员" => WorkerRole.Grid,
        "community" or "社区" or "社区工作人员" => WorkerRole.Community,
        "street" or "街道" or "街道工作人员" => WorkerRole.Street,
        var other => throw row.Error("role", $"\"{other}\" is not a role; use grid, community or street."),
    };

    /// <summary>Empty means active; a worker who left is kept (their tickets name them) but marked <c>no</c>/否.</summary>
    private static bool ParseActive(Row row) => row.Optional("active")?.ToLowerInvariant() switch
    {
        null or "yes" or "true" or "1" or "是" or "在岗" => true,
        "no" or "false" or "0" or "否" or "停用" or "离岗" => false,
        var other => throw row.Error("active", $"\"{other}\" is neither yes nor no (or 是/否)."),
    };

    private static List<DayOfWeek> ParseDays(Row row)
    {
        var days = new List<DayOfWeek>();
        foreach (var part in row.Required("days").Split([',', '，', '、'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split(['-', '~', '～'], StringSplitOptions.TrimEntries);
            if (range.Length is < 1 or > 2 || !range.All(d => int.TryParse(d, out var n) && n is >= 1 and <= 7)
                || int.Parse(range[0], CultureInfo.InvariantCulture) > int.Parse(range[^1], CultureInfo.InvariantCulture))
            {
                throw row.Error("days", $"\"{part}\" is not a weekday or range; use 1 (Monday) to 7 (Sunday), e.g. 1-5 or 6,7.");
            }
            for (var n = int.Parse(range[0], CultureInfo.InvariantCulture); n <= int.Parse(range[^1], CultureInfo.InvariantCulture); n++)
            {
                var day = (DayOfWeek)(n % 7);
                if (!days.Contains(day))
                {
                    days.Add(day);
                }
            }
        }
        return days;
    }

    private static string FormatDays(List<DayOfWeek> days)
    {
        var numbers = days.Select(d => d == DayOfWeek.Sunday ? 7 : (int)d).Order().ToList();
        var parts = new List<string>();
        for (var i = 0; i < numbers.Count;)
        {
            var j = i;
            while (j + 1 < numbers.Count && numbers[j + 1] == numbers[j] + 1)
            {
                j++;
            }
            parts.Add(i == j ? $"{numbers[i]}" : $"{numbers[i]}-{numbers[j]}");
            i = j + 1;
        }
        return string.Join(',', parts);
    }

    private static TimeOnly ParseTime(Row row, string column)
    {
        switch (row.Raw(column))
        {
            case DateTime moment:
                return TimeOnly.FromDateTime(moment);
            case double fraction when fraction is >= 0 and < 1:
                // Excel keeps a time of day as a fraction of a day.
                return TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(Math.Round(fraction * 24 * 60)));
        }
        var text = row.Required(column);
        if (text is "24:00")
        {
            return TimeOnly.MinValue;
        }
        return TimeOnly.TryParseExact(text, ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw row.Error(column, $"\"{text}\" is not a time of day; write e.g. 08:30.");
    }

    private static DateTimeOffset ParseMoment(Row row, string column, TimeZoneInfo zone, bool endOfDay)
    {
        DateTime local;
        bool dateOnly;
        switch (row.Raw(column))
        {
            case DateTime moment:
                local = moment;
                dateOnly = moment.TimeOfDay == TimeSpan.Zero;
                break;
            case double serial when serial is > 1 and < 100000:
                local = DateTime.FromOADate(serial);
                dateOnly = local.TimeOfDay == TimeSpan.Zero;
                break;
            default:
                var text = row.Required(column);
                if (DateTime.TryParseExact(text, ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
                {
                    dateOnly = true;
                }
                else if (DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm", "yyyy-M-d H:mm", "yyyy/M/d H:mm", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
                {
                    dateOnly = false;
                }
                else
                {
                    throw row.Error(column, $"\"{text}\" is not a date; write e.g. 2026-11-23 or 2026-11-23 08:30 (office local time).");
                }
                break;
        }
        // A bare end date means "up to and including that day".
        if (dateOnly && endOfDay)
        {
            local = local.AddDays(1);
        }
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static string FormatMoment(DateTimeOffset moment, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(moment, zone);
        return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    private static List<string> SplitList(string? text) =>
        (text ?? "").Split(ListSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static DataTable Table(string sheet, IEnumerable<string?[]> rows)
    {
        var table = new DataTable(sheet);
        foreach (var column in Columns[sheet])
        {
            table.Columns.Add(column, typeof(string));
        }
        foreach (var row in rows)
        {
            table.Rows.Add(row.Select(v => (object?)v ?? DBNull.Value).ToArray());
        }
        return table;
    }

    private sealed class Sheet
    {
        private Sheet(string name, List<Row> rows)
        {
            Name = name;
            Rows = rows;
        }

        public string Name { get; }

        public List<Row> Rows { get; }

        public static Sheet Empty(string name) => new(name, []);

        public static Sheet Load(string path, string name)
        {
            var raw = MiniExcel.Query(path, useHeaderRow: false, sheetName: name)
                .Cast<IDictionary<string, object?>>()
                .Select(row => row.Values.ToArray())
                .ToList();
            if (raw.Count == 0)
            {
                return Empty(name);
            }
            var header = raw[0].Select(c => Convert.ToString(c, CultureInfo.InvariantCulture)?.Trim().ToLowerInvariant() ?? "").ToList();
            var known = Columns[name];
            for (var i = 0; i < header.Count; i++)
            {
                if (header[i].Length > 0 && !known.Contains(header[i]))
                {
                    throw new DirectoryFormatException($"Sheet {name}, row 1: unknown column \"{header[i]}\"; expected {string.Join(",", known)}.");
                }
            }
            var at = known.ToDictionary(c => c, c => header.IndexOf(c));
            var rows = new List<Row>();
            for (var r = 1; r < raw.Count; r++)
            {
                if (raw[r].All(c => c is null || (c is string s && string.IsNullOrWhiteSpace(s))))
                {
                    continue;
                }
                rows.Add(new Row(name, r + 1, raw[r], at));
            }
            foreach (var column in known.Where(c => at[c] < 0 && (c is "id" or "name" || RequiredColumn(name, c))))
            {
                if (rows.Count > 0)
                {
                    throw new DirectoryFormatException($"Sheet {name}, row 1: the column \"{column}\" is missing; expected {string.Join(",", known)}.");
                }
            }
            return new Sheet(name, rows);
        }

        private static bool RequiredColumn(string sheet, string column) => (sheet, column) switch
        {
            ("grids", "community") or ("compounds", "community") or ("workers", "role") => true,
            ("roster", "grid" or "worker" or "days" or "start" or "end") => true,
            ("leave", "worker" or "start" or "end") => true,
            _ => false,
        };
    }

    private sealed class Row(string sheet, int number, object?[] cells, Dictionary<string, int> at)
    {
        public int Number => number;

        public object? Raw(string column) => at.TryGetValue(column, out var i) && i >= 0 && i < cells.Length ? cells[i] : null;

        public string? Optional(string column) => Raw(column) switch
        {
            null => null,
            double number => number.ToString("0.##########", CultureInfo.InvariantCulture),
            DateTime moment => moment.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            var value => Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() is { Length: > 0 } text ? text : null,
        };

        public string Required(string column) => Optional(column) ?? throw Error(column, "empty; every row needs one.");

        public DirectoryFormatException Error(string column, string problem) => new($"Sheet {sheet}, row {number}, column {column}: {problem}");
    }
}
