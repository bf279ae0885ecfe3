namespace CommunityBot.Oversight;

/// <summary>The kind of unit a row of figures is about.</summary>
public enum AssessmentLevel
{
    /// <summary>The whole street office (一级网格).</summary>
    Street,

    /// <summary>A community or village (二级网格).</summary>
    Community,

    /// <summary>A third-level grid (三级网格).</summary>
    Grid,

    /// <summary>A grid worker or staff member holding tickets.</summary>
    Worker,
}
