using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Dialogs.Routing;

/// <summary>How the assistant presents itself to residents.</summary>
public sealed class RouterOptions
{
    public const string SectionName = "Bot";

    /// <summary>The name residents @-mention (小灵通 in the seed street office).</summary>
    [Required, StringLength(16, MinimumLength = 1)]
    public string Name { get; set; } = "小灵通";

    /// <summary>Who answers when the assistant cannot, as residents should hear it.</summary>
    [Required]
    public string OfficeName { get; set; } = "丰和街道";
}
