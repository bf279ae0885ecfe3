namespace CommunityBot.Open311;

/// <summary>One entry of the spec's error list (<c>&lt;errors&gt;&lt;error&gt;&lt;code/&gt;&lt;description/&gt;</c>).</summary>
public sealed record Open311Error(int Code, string Description);
