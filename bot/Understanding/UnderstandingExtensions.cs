using CommunityBot.Dialogs.Understanding;
using CommunityBot.Faq;
using CommunityBot.Understanding.Extractors;
using CommunityBot.Understanding.Nlu;
using Microsoft.Extensions.Options;

namespace CommunityBot.Understanding;

/// <summary>Registers FAQ storage, the matcher, the intent/category models and the understanding ports.</summary>
public static class UnderstandingExtensions
{
    /// <summary>Needs <c>AddStorage()</c> for the <see cref="LiteDB.ILiteDatabase"/>.</summary>
    public static IHostApplicationBuilder AddUnderstanding(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FaqMatchingOptions>()
            .BindConfiguration(FaqMatchingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<FaqStore>();
        builder.Services.AddSingleton(sp => new MissStore(
            sp.GetRequiredService<LiteDB.ILiteDatabase>(),
            sp.GetRequiredService<Storage.LiteDbWriter>(),
            sp.GetRequiredService<ILogger<MissStore>>(),
            sp.GetRequiredService<IOptions<FaqMatchingOptions>>().Value.MaxMisses));
        builder.Services.AddSingleton<IMissLog>(sp => sp.GetRequiredService<MissStore>());
        builder.Services.AddSingleton(sp => new FaqMatcher(sp.GetRequiredService<IOptions<FaqMatchingOptions>>()));
        builder.Services.AddOptions<NluOptions>()
            .BindConfiguration(NluOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new MessageClassifier(sp.GetRequiredService<IOptions<NluOptions>>().Value));
        builder.Services.AddHostedService<NluModelService>();
        builder.Services.AddSingleton(sp => new FaqUnderstanding(
            sp.GetRequiredService<FaqMatcher>(),
            sp.GetRequiredService<FaqStore>(),
            sp.GetRequiredService<MessageClassifier>(),
            sp.GetRequiredService<IOptions<NluOptions>>().Value));
        builder.Services.AddSingleton<IUnderstanding>(sp => sp.GetRequiredService<FaqUnderstanding>());
        builder.Services.AddSingleton<IFaqAnswers>(sp => sp.GetRequiredService<FaqUnderstanding>());
        builder.Services.AddHostedService<FaqSeeder>();
        builder.AddDetailExtraction();
        return builder;
    }
}
