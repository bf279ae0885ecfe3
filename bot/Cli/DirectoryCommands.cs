using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using CommunityBot.Directory;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Cli;

/// <summary>The <c>directory import FILE</c> and <c>directory export FILE</c> verbs (the grid directory as .xlsx).</summary>
public static class DirectoryCommands
{
    public static Command Create(Option<string?> dataDir, TextWriter output, TextWriter error)
    {
        var importFile = new Argument<FileInfo>("FILE") { Description = "An .xlsx workbook with the sheets communities, grids, compounds, workers, roster, leave, departments." };
        var import = new Command("import", "Replace the whole grid directory with the workbook (all or nothing).") { importFile };
        import.SetAction(parse => WithDirectory(parse.GetValue(dataDir), error, (directory, zone) =>
        {
            var path = parse.GetValue(importFile)!.FullName;
            var (data, locate) = DirectoryWorkbook.Read(path, zone);
            directory.Replace(data, locate);
            output.WriteLine($"Replaced the grid directory with {Path.GetFileName(path)}: {data.Communities.Count} communities, {data.Grids.Count} grids, " +
                $"{data.Compounds.Count} compounds, {data.Workers.Count} workers, {data.Roster.Count} roster lines, {data.Leave.Count} leave periods, {data.Departments.Count} departments.");
            return 0;
        }));

        var exportFile = new Argument<FileInfo>("FILE") { Description = "The .xlsx workbook to write." };
        var export = new Command("export", "Write the grid directory to an .xlsx workbook.") { exportFile };
        export.SetAction(parse => WithDirectory(parse.GetValue(dataDir), error, (directory, zone) =>
        {
            var path = parse.GetValue(exportFile)!.FullName;
            if (!string.Equals(Path.GetExtension(path), ".xlsx", StringComparison.OrdinalIgnoreCase))
            {
                throw new DirectoryFormatException($"{path}: use an .xlsx workbook.");
            }
            var data = directory.Current.Data;
            DirectoryWorkbook.Write(path, data, zone);
            output.WriteLine($"Exported {data.Grids.Count} grids, {data.Compounds.Count} compounds and {data.Workers.Count} workers to {path}.");
            return 0;
        }));

        return new Command("directory", "Manage the grid directory (communities, grids, compounds, workers, roster, departments).") { import, export };
    }

    private static int WithDirectory(string? dataDir, TextWriter error, Func<GridDirectory, TimeZoneInfo, int> action) =>
        CliStorage.WithDatabase(dataDir, error, database =>
        {
            try
            {
                var directory = new GridDirectory(new DirectoryStore(database), NullLogger<GridDirectory>.Instance);
                return action(directory, DirectorySettings().ResolveTimeZone());
            }
            catch (DirectoryFormatException ex)
            {
                error.WriteLine($"Nothing was changed. {ex.Message}");
                return 2;
            }
        });

    /// <summary>The Directory settings the server reads (appsettings.json next to the executable, then environment variables).</summary>
    private static DirectoryOptions DirectorySettings() => CliStorage.Settings<DirectoryOptions>(DirectoryOptions.SectionName);
}
