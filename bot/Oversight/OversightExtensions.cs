namespace CommunityBot.Oversight;

public static class OversightExtensions
{
    /// <summary>Registers <see cref="AssessmentService"/> on LiteDB's tickets; needs <c>AddStorage()</c> and <c>AddDirectory()</c>.</summary>
    public static IHostApplicationBuilder AddOversight(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AssessmentOptions>()
            .BindConfiguration(AssessmentOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IAssessmentTickets, LiteDbAssessmentTickets>();
        builder.Services.AddSingleton<AssessmentService>();
        return builder;
    }
}
