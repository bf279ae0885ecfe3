using System.ComponentModel.DataAnnotations;

namespace CommunityBot.Understanding.Extractors;

/// <summary>Settings for <see cref="DetailExtractor"/>.</summary>
public sealed class DetailExtractionOptions : IValidatableObject
{
    public const string SectionName = "DetailExtraction";

    /// <summary>
    /// Places inside a compound residents name ("东门岗亭", "地下车库"). Null keeps <see cref="DefaultLandmarks"/>;
    /// a configured list replaces them (an array, so configuration binding does not append to the defaults).
    /// </summary>
    [MaxLength(500)]
    public string[]? Landmarks { get; set; }

    /// <summary>Which extractors read times, durations, phones and counts; see <see cref="DetailEngine"/>.</summary>
    public DetailEngine Engine { get; set; } = DetailEngine.Combined;

    /// <summary>
    /// Builds the recognizer models in the background at start-up (≈0.6 s of one core) so the first grievance does not
    /// wait for them. Off, the first message that needs them pays instead.
    /// </summary>
    public bool WarmUp { get; set; } = true;

    public static IReadOnlyList<string> DefaultLandmarks { get; } =
    [
        "东门岗亭", "西门岗亭", "南门岗亭", "北门岗亭", "岗亭", "门卫室", "保安室",
        "东门", "西门", "南门", "北门", "正门", "大门", "后门", "侧门", "小区门口", "小区大门",
        "地下车库", "地库", "车库", "停车场", "停车位", "充电桩", "充电棚", "车棚",
        "楼道", "楼梯间", "电梯", "天台", "楼顶", "地下室", "消防通道",
        "垃圾站", "垃圾桶", "垃圾房", "快递柜", "快递站", "驿站",
        "球场", "篮球场", "广场", "健身器材", "游乐场", "绿化带", "花坛", "凉亭", "物业办公室", "水泵房", "配电房",
    ];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Landmarks is not null && Landmarks.Any(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult("Landmarks must not contain blank entries.", [nameof(Landmarks)]);
        }
    }
}
