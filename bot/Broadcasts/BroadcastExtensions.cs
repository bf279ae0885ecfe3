namespace CommunityBot.Broadcasts;

/// <summary>Registers the group registry (with the groups' places) and broadcasts.</summary>
public static class BroadcastExtensions
{
    /// <summary>Needs <c>AddStorage()</c> and the outbox (<c>AddDialogs()</c>).</summary>
    public static IHostApplicationBuilder AddBroadcasts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GroupRegistryOptions>()
            .BindConfiguration(GroupRegistryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<GroupRegistry>();
        builder.Services.AddSingleton<GroupPlaces>();
        builder.Services.AddSingleton<Dialogs.Directory.IGroupPlaces>(sp => sp.GetRequiredService<GroupPlaces>());
        builder.Services.AddSingleton<BroadcastService>();
        return builder;
    }
}
