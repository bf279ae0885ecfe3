namespace CommunityBot.Tests.Channels.BotFramework;

/// <summary>One request a <see cref="FakeHttpHandler"/> received, with its body read at the time.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, string? Body);
