using CommunityBot.Dialogs.Directory;
using CommunityBot.Dialogs.Understanding;
using Microsoft.Extensions.Options;

namespace CommunityBot.Understanding.Extractors;

/// <summary>Registers <see cref="DetailExtractor"/> as the <see cref="IDetailExtractor"/>.</summary>
public static class DetailExtractionExtensions
{
    /// <summary>Uses the registered <see cref="IDirectory"/> for compound names, or none when no directory is registered.</summary>
    public static IHostApplicationBuilder AddDetailExtraction(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DetailExtractionOptions>()
            .BindConfiguration(DetailExtractionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IDetailExtractor>(sp => new DetailExtractor(
            sp.GetService<IDirectory>() ?? EmptyDirectory.Instance,
            sp.GetRequiredService<IOptions<DetailExtractionOptions>>()));
        return builder;
    }
}
