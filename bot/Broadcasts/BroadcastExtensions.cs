namespace CommunityBot.Broadcasts;

/// <summary>Registers the group registry and broadcasts.</summary>
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
        builder.Services.AddSingleton<BroadcastService>();
        return builder;
    }
}
