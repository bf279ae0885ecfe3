namespace CommunityBot.Directory;

/// <summary>The level a ticket lands on (it may later be escalated further).</summary>
public enum RoutingLevel
{
    Grid,
    Community,
    Street,
}
