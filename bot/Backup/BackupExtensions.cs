namespace CommunityBot.Backup;

/// <summary>Registers backups through the server (the CLI's <c>backup</c>) and the scheduled ones.</summary>
public static class BackupExtensions
{
    /// <summary>Needs <c>AddStorage()</c>.</summary>
    public static IHostApplicationBuilder AddBackups(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BackupOptions>()
            .BindConfiguration(BackupOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(new ControlToken(ServerControlFile.NewToken()));
        builder.Services.AddSingleton<StoreBackupService>();
        builder.Services.AddSingleton<ScheduledBackupService>();
        if (builder.Configuration.GetValue<TimeSpan?>($"{BackupOptions.SectionName}:{nameof(BackupOptions.Interval)}") is not null)
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ScheduledBackupService>());
        }

        return builder;
    }
}
