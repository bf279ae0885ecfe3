using CommunityBot.Dialogs.Understanding;
using CommunityBot.Faq;
using CommunityBot.Understanding;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CommunityBot.Tests.Understanding;

public class UnderstandingExtensionsTests
{
    [Fact]
    public async Task AddUnderstanding_Started_AnswersFromTheStore()
    {
        var builder = Host.CreateApplicationBuilder();
        // No model training into ./data from a unit test; the classifier answers with rules.
        builder.Configuration["Nlu:Enabled"] = "false";
        builder.Services.AddSingleton<ILiteDatabase>(_ => new LiteDatabase(new MemoryStream()));
        builder.Services.AddSingleton<CommunityBot.Storage.LiteDbWriter>();
        builder.AddUnderstanding();
        using var host = builder.Build();
        host.Services.GetRequiredService<FaqStore>().ReplaceAll(FaqMatcherTests.Kb);

        await host.StartAsync();
        var result = host.Services.GetRequiredService<IUnderstanding>().Understand("物业电话是多少");
        await host.StopAsync();

        Assert.Equal("property-phone", result.Faq?.Id);
        Assert.NotNull(host.Services.GetRequiredService<IFaqAnswers>().Find("property-phone"));
        Assert.IsType<MissStore>(host.Services.GetRequiredService<IMissLog>());
        Assert.False(host.Services.GetRequiredService<CommunityBot.Understanding.Nlu.MessageClassifier>().IsReady);
    }
}
