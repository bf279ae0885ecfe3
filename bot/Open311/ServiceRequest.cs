namespace CommunityBot.Open311;

/// <summary>
/// A service request as GET requests returns it (https://wiki.open311.org/GeoReport_v2/#get-service-requests).
/// Only public facts: no reporter name, phone, e-mail or room ever appears here.
/// </summary>
public sealed record ServiceRequest
{
    public required string ServiceRequestId { get; init; }
    /// <summary>"open" or "closed", the spec's two values.</summary>
    public required string Status { get; init; }
    public string? StatusNotes { get; init; }
    public required string ServiceName { get; init; }
    public required string ServiceCode { get; init; }
    public string? Description { get; init; }
    public string? AgencyResponsible { get; init; }
    public string? ServiceNotice { get; init; }
    public required DateTimeOffset RequestedDatetime { get; init; }
    public required DateTimeOffset UpdatedDatetime { get; init; }
    public DateTimeOffset? ExpectedDatetime { get; init; }
    /// <summary>The public location (compound, building, unit, landmark), never the room.</summary>
    public string? Address { get; init; }
    public double? Lat { get; init; }
    public double? Long { get; init; }
    public string? MediaUrl { get; init; }
}
