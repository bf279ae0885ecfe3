using System.Globalization;
using System.Text.RegularExpressions;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Grievance;
using CommunityBot.Dialogs.Understanding;

namespace CommunityBot.Open311;

/// <summary>
/// Reads and checks the fields of POST requests (https://wiki.open311.org/GeoReport_v2/#post-service-request):
/// service_code, description, a location (lat + long, or address_string), and the reporter's private contact
/// (first_name, last_name, phone, email, device_id, account_id), which reaches the worker but is never published.
/// </summary>
public static partial class ServiceRequestForm
{
    /// <summary>The reporter's channel id on tickets filed through the API.</summary>
    public const string Channel = "open311";

    /// <summary>
    /// The property of the reporter's conversation reference that names the chat channel the handling worker is
    /// reached on (an API client has no chat of its own).
    /// </summary>
    public const string WorkerChannelProperty = "workerChannel";

    private const int MaxShortField = 100;
    private const int MaxAddress = 200;

    /// <summary>Every problem found, in the spec's error shape; when there are none, <paramref name="request"/> is set.</summary>
    public static IReadOnlyList<Open311Error> Parse(
        Func<string, string?> field, Open311Options options, IDetailExtractor extractor, DateTimeOffset at, out PostedServiceRequest? request)
    {
        request = null;
        var errors = new List<Open311Error>();
        string? Text(string name, int max)
        {
            var value = field(name)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            if (value.Length > max)
            {
                errors.Add(new Open311Error(400, $"{name} 过长（最多 {max} 个字符）。{name} is longer than {max} characters."));
                return null;
            }

            return value;
        }

        var code = Text("service_code", MaxShortField);
        var service = code is null ? null : Open311Services.FindByCode(code);
        if (code is null)
        {
            errors.Add(new Open311Error(400, "缺少 service_code。service_code is required (see services.json)."));
        }
        else if (service is null)
        {
            // The spec's POST errors: 404 for a service_code not found, 400 for one not provided.
            errors.Add(new Open311Error(404, $"没有这个 service_code：{code}。service_code '{code}' was not found (see services.json)."));
        }

        var description = Text("description", options.MaxDescriptionLength);
        if (description is null && string.IsNullOrWhiteSpace(field("description")))
        {
            errors.Add(new Open311Error(400, "缺少 description，请描述问题。description is required."));
        }

        var hasLat = !string.IsNullOrWhiteSpace(field("lat"));
        var hasLong = !string.IsNullOrWhiteSpace(field("long"));
        var lat = Coordinate("lat", field("lat"), 90, errors);
        var lon = Coordinate("long", field("long"), 180, errors);
        if (hasLat != hasLong)
        {
            errors.Add(new Open311Error(400, "lat 和 long 需要同时提供。lat and long must be given together."));
        }

        var address = Text("address_string", MaxAddress);
        if (!hasLat && !hasLong && string.IsNullOrWhiteSpace(field("address_string")))
        {
            errors.Add(field("address_id") is { Length: > 0 }
                ? new Open311Error(400, "不支持 address_id，请提供 address_string 或 lat/long。address_id is not supported here: send address_string or lat and long.")
                : new Open311Error(400, "缺少位置：请提供 address_string 或 lat/long。A location is required: address_string, or lat and long."));
        }

        var phone = Text("phone", 20);
        if (phone is not null && !PhonePattern().IsMatch(phone))
        {
            errors.Add(new Open311Error(400, "phone 格式不对。phone must be digits, spaces, '+' or '-'."));
        }

        var email = Text("email", 254);
        if (email is not null && !email.Contains('@', StringComparison.Ordinal))
        {
            errors.Add(new Open311Error(400, "email 格式不对。email is not an e-mail address."));
        }

        var mediaUrl = Text("media_url", 2048);
        if (mediaUrl is not null && !(Uri.TryCreate(mediaUrl, UriKind.Absolute, out var media) && (media.Scheme == Uri.UriSchemeHttps || media.Scheme == Uri.UriSchemeHttp)))
        {
            errors.Add(new Open311Error(400, "media_url 必须是 http(s) 链接。media_url must be an absolute http(s) URL."));
        }

        var firstName = Text("first_name", MaxShortField);
        var lastName = Text("last_name", MaxShortField);
        var accountId = Text("account_id", MaxShortField);
        var deviceId = Text("device_id", MaxShortField);
        if (errors.Count > 0 || service is null || description is null)
        {
            return errors;
        }

        // A compound and building named in the address (or else in the description) route the ticket to its grid.
        var location = (address is null ? null : extractor.Extract(address, at, DetailKinds.Location).Location) is { CompoundId: not null } fromAddress
            ? fromAddress
            : extractor.Extract(description, at, DetailKinds.Location).Location is { CompoundId: not null } fromDescription ? fromDescription : null;
        var name = string.Concat(lastName, firstName);
        var reporter = new ConversationReference
        {
            Channel = Channel,
            ConversationId = options.JurisdictionId,
            // Identifies the reporter for "+1" joins; it is private like the rest of the contact.
            UserId = accountId is not null ? "account:" + accountId
                : email is not null ? "email:" + email
                : deviceId is not null ? "device:" + deviceId
                : phone is not null ? "phone:" + phone
                : "anonymous:" + Guid.NewGuid().ToString("N"),
            UserName = name.Length > 0 ? name : "Open311 用户",
            Properties = new Dictionary<string, string> { [WorkerChannelProperty] = options.WorkerChannel },
        };
        var report = new GrievanceReport
        {
            Reporter = reporter,
            Category = service.Category,
            Description = description,
            CompoundId = location?.CompoundId,
            CompoundName = location?.CompoundName,
            Building = location?.Building,
            Unit = location?.Unit,
            Room = location?.Room,
            // The address as the client wrote it, when the directory does not know the compound.
            Landmark = location is null ? address : location.Landmark,
            Phone = phone,
            Photos = mediaUrl is null ? [] : [new InboundAttachment("image", mediaUrl)],
        };
        request = new PostedServiceRequest(service, report, new Open311Submission
        {
            Lat = lat,
            Long = lon,
            MediaUrl = mediaUrl,
            Email = email,
            SubmittedAt = at.UtcDateTime,
        });
        return errors;
    }

    private static double? Coordinate(string name, string? raw, double limit, List<Open311Error> errors)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && Math.Abs(value) <= limit)
        {
            return value;
        }

        errors.Add(new Open311Error(400, $"{name} 不是有效的 WGS84 坐标。{name} must be a decimal degree between -{limit} and {limit}."));
        return null;
    }

    [GeneratedRegex(@"^[0-9+\- ]{5,20}$")]
    private static partial Regex PhonePattern();
}
