using CommunityBot.Admin;
using CommunityBot.Cli;
using CommunityBot.Storage;

namespace CommunityBot.Tests.Admin;

/// <summary><c>admin create</c> through the command line: the password from standard input, checks before anything is written.</summary>
public sealed class AdminCommandsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "communitybot-tests", "admin-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (System.IO.Directory.Exists(_dir))
        {
            System.IO.Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void IsVerb_Admin_IsAVerb() => Assert.True(CommandLineApp.IsVerb(["admin", "create", "boss", "--role", "admin"]));

    [Fact]
    public async Task AdminCreate_PasswordOnStdin_CreatesAnAccountThatSignsIn()
    {
        var (code, output, _) = await RunAsync("correct-horse-1\n", "admin", "create", "boss", "--role", "admin", "--password-stdin");

        Assert.Equal(0, code);
        Assert.Contains("Created admin account boss", output);
        var (outcome, user) = CheckPassword("boss", "correct-horse-1");
        Assert.Equal(LoginOutcome.Succeeded, outcome);
        Assert.Equal(AdminRole.Admin, user!.Role);
        Assert.Equal(LoginOutcome.Failed, CheckPassword("boss", "wrong").Outcome);
    }

    [Fact]
    public async Task AdminCreate_Again_ResetsThePassword()
    {
        await RunAsync("first-password\n", "admin", "create", "boss", "--role", "admin");

        var (code, output, _) = await RunAsync("second-password\n", "admin", "create", "boss", "--role", "street");

        Assert.Equal(0, code);
        Assert.Contains("Updated street account boss", output);
        Assert.Equal(LoginOutcome.Failed, CheckPassword("boss", "first-password").Outcome);
        Assert.Equal(LoginOutcome.Succeeded, CheckPassword("boss", "second-password").Outcome);
    }

    [Fact]
    public async Task AdminCreate_ShortPassword_Returns2AndWritesNothing()
    {
        var (code, _, error) = await RunAsync("short\n", "admin", "create", "boss", "--role", "admin");

        Assert.Equal(2, code);
        Assert.Contains("at least 8 characters", error);
        Assert.Null(CheckPassword("boss", "short").User);
    }

    [Fact]
    public async Task AdminCreate_WorkerWithoutWorkerId_Returns2()
    {
        var (code, _, error) = await RunAsync("correct-horse-1\n", "admin", "create", "wang", "--role", "worker");

        Assert.Equal(2, code);
        Assert.Contains("--worker", error);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLineApp.RunAsync([.. args, "--data-dir", Path.Combine(_dir, "data")], new StringReader(stdin), output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private (LoginOutcome Outcome, AdminUser? User) CheckPassword(string name, string password)
    {
        using var database = StorageExtensions.OpenDatabase(new StorageOptions { DataDir = Path.Combine(_dir, "data") });
        return new AdminUserStore(database).CheckPassword(name, password, "127.0.0.1", DateTime.UtcNow, new AdminOptions());
    }
}
