using CommunityBot.Dialogs.Directory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommunityBot.Directory;

/// <summary>Registers the grid directory, its <see cref="IDirectory"/> port and the <see cref="TicketRouter"/>.</summary>
public static class DirectoryExtensions
{
    /// <summary>Needs <c>AddStorage()</c> for the <see cref="LiteDB.ILiteDatabase"/>.</summary>
    public static IHostApplicationBuilder AddDirectory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DirectoryOptions>()
            .BindConfiguration(DirectoryOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => TryResolve(o), "Directory:TimeZone is not a time zone this system knows (e.g. Asia/Shanghai).")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DirectoryStore>();
        builder.Services.AddSingleton<GridDirectory>();
        builder.Services.AddSingleton<IDirectory>(sp => sp.GetRequiredService<GridDirectory>());
        builder.Services.AddSingleton<TicketRouter>();
        builder.Services.AddHostedService<DirectorySeeder>();
        return builder;
    }

    private static bool TryResolve(DirectoryOptions options)
    {
        try
        {
            options.ResolveTimeZone();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
