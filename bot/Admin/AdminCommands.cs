using System.CommandLine;
using CommunityBot.Storage;
using LiteDB;

namespace CommunityBot.Admin;

/// <summary>
/// <c>admin create NAME --role ROLE</c>: creates (or resets) a console account; the password is read from standard
/// input so that it appears neither in the shell history nor in the process list. Works on a stopped server's data directory.
/// </summary>
public static class AdminCommands
{
    public const int MinPasswordLength = 8;

    public static Command Create(Option<string?> dataDir, TextReader input, TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("NAME") { Description = "The login name." };
        var role = new Option<AdminRole>("--role") { Description = "admin, street, community or worker.", Required = true };
        var community = new Option<string?>("--community") { Description = "The community id (required for --role community)." };
        var worker = new Option<string?>("--worker") { Description = "The directory worker id the account acts as on tickets (required for --role worker)." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input (the default; kept for scripts that say so)." };
        var create = new Command("create", "Create a console account, or reset its password and role.") { name, role, community, worker, passwordStdin };
        create.SetAction(parse =>
        {
            var user = new AdminUser
            {
                Name = parse.GetValue(name)!.Trim(),
                Role = parse.GetValue(role),
                CommunityId = parse.GetValue(community),
                WorkerId = parse.GetValue(worker),
                CreatedAt = DateTime.UtcNow,
            };
            var problem = user switch
            {
                { Name.Length: 0 or > 64 } => "NAME must be 1 to 64 characters.",
                { Role: AdminRole.Community, CommunityId: null or "" } => "--role community needs --community ID.",
                { Role: AdminRole.Worker, WorkerId: null or "" } => "--role worker needs --worker ID.",
                _ => null,
            };
            if (problem is not null)
            {
                error.WriteLine($"Nothing was changed. {problem}");
                return 2;
            }

            var password = !Console.IsInputRedirected && ReferenceEquals(input, Console.In)
                ? ReadHidden(error)
                : input.ReadLine()?.TrimEnd('\r') ?? "";
            if (password.Length < MinPasswordLength)
            {
                error.WriteLine($"Nothing was changed. The password must have at least {MinPasswordLength} characters (read one line from standard input).");
                return 2;
            }

            return Cli.CliStorage.WithDatabase(parse.GetValue(dataDir), error, database =>
            {
                var store = new AdminUserStore(database);
                var existed = store.Find(user.Name) is not null;
                store.Save(user, password);
                output.WriteLine($"{(existed ? "Updated" : "Created")} {user.Role.ToString().ToLowerInvariant()} account {user.Name}.");
                return 0;
            });
        });
        return new Command("admin", "Manage admin console accounts.") { create };
    }

    // A person at a terminal: read the password without echoing it.
    private static string ReadHidden(TextWriter error)
    {
        error.Write("Password: ");
        var password = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                error.WriteLine();
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                password.Length = Math.Max(0, password.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }
}
