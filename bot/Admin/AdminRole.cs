namespace CommunityBot.Admin;

/// <summary>What a console user may see and do: admin and street office see everything, community staff their community, a worker their own tickets.</summary>
public enum AdminRole
{
    Admin,
    Street,
    Community,
    Worker,
}
