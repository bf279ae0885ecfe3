namespace CommunityBot.Tests.Harness;

/// <summary>The browser test classes: they share one <see cref="ChromiumBrowser"/> and run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumBrowser>
{
    public const string Name = "Chromium";
}
