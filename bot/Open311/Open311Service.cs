namespace CommunityBot.Open311;

/// <summary>One service type of the GeoReport v2 service list: a grievance category under a stable ASCII code.</summary>
public sealed record Open311Service(string Code, string Category, string Description, string Group, IReadOnlyList<string> Keywords);
