using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Clocks;

/// <summary>
/// <c>calendar list|add|remove</c>: the office's holiday calendar (public holidays and 调休 working weekends) that the
/// ticket clocks count working time on. Works on the data directory of a stopped server.
/// </summary>
public static class CalendarCommands
{
    public static Command Create(Option<string?> dataDir, TextWriter output, TextWriter error)
    {
        var year = new Option<int?>("--year") { Description = "Only this year." };
        var list = new Command("list", "List holidays and 调休 working days.") { year };
        list.SetAction(parse => WithStore(parse.GetValue(dataDir), error, store =>
        {
            var days = store.All().Where(h => parse.GetValue(year) is not { } y || h.Date.StartsWith(y.ToString("0000", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToList();
            foreach (var day in days)
            {
                output.WriteLine($"{day.Date}\t{(day.IsWorkday ? "上班" : "放假")}\t{day.Name}");
            }

            output.WriteLine($"{days.Count} days.");
            return 0;
        }));

        var date = new Argument<string>("DATE") { Description = "yyyy-MM-dd (the first day of a run with --to)." };
        var name = new Argument<string>("NAME") { Description = "e.g. 国庆节, or 国庆节调休上班 with --workday." };
        var to = new Option<string?>("--to") { Description = "Last day of a run of days, yyyy-MM-dd (inclusive)." };
        var workday = new Option<bool>("--workday") { Description = "An adjusted working day (调休上班) instead of a day off." };
        var add = new Command("add", "Add or change a holiday, a run of holidays, or a 调休 working day.") { date, name, to, workday };
        add.SetAction(parse => WithStore(parse.GetValue(dataDir), error, store =>
        {
            var seed = new HolidaySeed { Date = parse.GetValue(date)!, To = parse.GetValue(to), Name = parse.GetValue(name)!.Trim(), IsWorkday = parse.GetValue(workday) };
            var days = seed.Days();
            if (days.Count == 0 || seed.Name.Length == 0)
            {
                error.WriteLine($"Nothing was changed. \"{seed.Date}\"{(seed.To is null ? "" : $" to \"{seed.To}\"")} is not a date (yyyy-MM-dd) or a run of at most 60 days, or the name is empty.");
                return 2;
            }

            foreach (var day in days)
            {
                store.Put(new Holiday { Date = Holiday.Format(day), Name = seed.Name, IsWorkday = seed.IsWorkday });
            }

            output.WriteLine($"{(seed.IsWorkday ? "Working day" : "Holiday")} {seed.Name}: {days.Count} day(s) from {Holiday.Format(days[0])}.");
            return 0;
        }));

        var removeDate = new Argument<string>("DATE") { Description = "yyyy-MM-dd" };
        var remove = new Command("remove", "Remove a date from the calendar (it becomes an ordinary weekday or weekend).") { removeDate };
        remove.SetAction(parse => WithStore(parse.GetValue(dataDir), error, store =>
        {
            if (!Holiday.TryParseDate(parse.GetValue(removeDate), out var day))
            {
                error.WriteLine($"Nothing was changed. \"{parse.GetValue(removeDate)}\" is not a date (yyyy-MM-dd).");
                return 2;
            }

            if (!store.Remove(day))
            {
                error.WriteLine($"{Holiday.Format(day)} is not in the calendar.");
                return 1;
            }

            output.WriteLine($"Removed {Holiday.Format(day)}.");
            return 0;
        }));

        return new Command("calendar", "The office's holiday calendar (holidays and 调休 working days) for the ticket clocks.") { list, add, remove };
    }

    private static int WithStore(string? dataDir, TextWriter error, Func<HolidayStore, int> action) =>
        Cli.CliStorage.WithDatabase(dataDir, error, database =>
        {
            var store = new HolidayStore(database);
            // A fresh data directory gets the configured defaults first, exactly as the server would seed them.
            store.SeedIfEmpty(ClockSettings().Holidays);
            return action(store);
        });

    /// <summary>The Clocks settings the server reads (appsettings.json next to the executable, then environment variables).</summary>
    private static ClockOptions ClockSettings() => Cli.CliStorage.Settings<ClockOptions>(ClockOptions.SectionName);
}
