using CommunityBot.Faq;
using CommunityBot.Understanding;

namespace CommunityBot.Tests.Harness;

/// <summary>Builds the real FAQ understanding over a store, with the shipped default thresholds.</summary>
public static class FaqTestFactory
{
    public static FaqUnderstanding CreateUnderstanding(FaqStore store) =>
        new(new FaqMatcher(new FaqMatchingOptions(), store.Enabled()), store);
}
