namespace CommunityBot.Open311;

/// <summary>The response formats the spec names by the path's extension (<c>.json</c>, <c>.xml</c>).</summary>
public enum Open311Format
{
    Json,
    Xml,
}
