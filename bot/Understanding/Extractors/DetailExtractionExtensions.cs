using CommunityBot.Dialogs.Directory;
using CommunityBot.Dialogs.Understanding;
using CommunityBot.Directory;
using Microsoft.Extensions.Options;

namespace CommunityBot.Understanding.Extractors;

/// <summary>Registers <see cref="DetailExtractor"/> as the <see cref="IDetailExtractor"/>.</summary>
public static class DetailExtractionExtensions
{
    /// <summary>
    /// Uses the registered <see cref="IDirectory"/> for compound names (none when no directory is registered) and the
    /// office's time zone (<see cref="DirectoryOptions.TimeZone"/>) to read the message time in.
    /// </summary>
    public static IHostApplicationBuilder AddDetailExtraction(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DetailExtractionOptions>()
            .BindConfiguration(DetailExtractionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IDetailExtractor>(sp => new DetailExtractor(
            sp.GetService<IDirectory>() ?? EmptyDirectory.Instance,
            sp.GetRequiredService<IOptions<DetailExtractionOptions>>(),
            sp.GetRequiredService<IOptions<DirectoryOptions>>().Value.ResolveTimeZone(),
            sp.GetRequiredService<ILogger<DetailExtractor>>()));
        builder.Services.AddHostedService<RecognizerWarmUp>();
        return builder;
    }
}
