using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using CommunityBot.Directory;
using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CommunityBot.Oversight;

/// <summary>The <c>report month YYYY-MM --out FILE.xlsx</c> verb: a month's assessment of every grid, as a workbook.</summary>
public static class ReportCommands
{
    public static Command Create(Option<string?> dataDir, TextWriter output, TextWriter error)
    {
        var month = new Argument<string>("MONTH") { Description = "The local calendar month, e.g. 2026-11." };
        var outFile = new Option<FileInfo>("--out") { Description = "The .xlsx workbook to write.", Required = true };
        var command = new Command("month", "Write a month's assessment (rates, time distributions, rankings, red and black lists) to an .xlsx workbook.") { month, outFile };
        command.SetAction(parse => Month(parse.GetValue(dataDir), parse.GetValue(month)!, parse.GetValue(outFile)!, output, error));
        return new Command("report", "Assessment reports of the grids, communities and workers.") { command };
    }

    private static int Month(string? dataDir, string monthText, FileInfo outFile, TextWriter output, TextWriter error)
    {
        if (!DateOnly.TryParseExact(monthText, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            error.WriteLine($"\"{monthText}\" is not a month: write it as YYYY-MM, e.g. 2026-11.");
            return 2;
        }

        if (!string.Equals(outFile.Extension, ".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            error.WriteLine($"{outFile.FullName}: use an .xlsx workbook.");
            return 2;
        }

        var (assessment, directoryOptions) = Settings();
        return Cli.CliStorage.WithDatabase(dataDir, error, database =>
        {
            var directory = new GridDirectory(new DirectoryStore(database), NullLogger<GridDirectory>.Instance);
            var service = new AssessmentService(
                new LiteDbAssessmentTickets(database), directory, Options.Create(assessment), Options.Create(directoryOptions), TimeProvider.System,
                NullLogger<AssessmentService>.Instance);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            // LiteDB reads synchronously, so the computation has finished when it returns: nothing is left to wait for.
            var result = service.ComputeMonthAsync(month.Year, month.Month).GetAwaiter().GetResult();
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);

            // Written next to the target first, so a failure never leaves half a workbook under the requested name.
            var partial = outFile.FullName + ".partial";
            using (var stream = File.Create(partial))
            {
                AssessmentWorkbook.Write(stream, result);
            }

            File.Move(partial, outFile.FullName, overwrite: true);
            var street = result.Street;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Title}: {street.Volume} tickets, {result.Units.Count(u => u.Level == AssessmentLevel.Grid)} grids, {result.Workers.Count} workers; " +
                $"响应率 {Percent(street.ResponseRate)}, 解决率 {Percent(street.SolvedRate)}, 满意率 {Percent(street.SatisfiedRate)}, " +
                $"及时签收率 {Percent(street.TimelySignRate)}, 按时办结率 {Percent(street.OnTimeCloseRate)}, 重办率 {Percent(street.ReopenRate)}, " +
                $"回退率 {Percent(street.ReturnRate)}; computed in {elapsed.TotalMilliseconds:F0} ms; written to {outFile.FullName}"));
            return 0;
        });
    }

    private static string Percent(double? rate) => rate is { } r ? (100 * r).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>The Assessment and Directory settings the server reads (appsettings.json next to the executable, then environment variables).</summary>
    private static (AssessmentOptions, DirectoryOptions) Settings() => (
        Cli.CliStorage.Settings<AssessmentOptions>(AssessmentOptions.SectionName),
        Cli.CliStorage.Settings<DirectoryOptions>(DirectoryOptions.SectionName));
}
