using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace CommunityBot.Open311;

/// <summary>
/// Writes GeoReport v2 documents in JSON or XML with the element names and nesting of the spec's examples
/// (https://wiki.open311.org/GeoReport_v2/): a list is a JSON array, or an XML root (<c>services</c>,
/// <c>service_requests</c>, <c>errors</c>) with one child per item (<c>service</c>, <c>request</c>, <c>error</c>).
/// A field whose value is null is written as JSON null or an empty element; a field left out is absent.
/// </summary>
public static class Open311Writer
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static bool TryParseFormat(string? extension, out Open311Format format)
    {
        format = Open311Format.Json;
        if (string.Equals(extension, "json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        format = Open311Format.Xml;
        return string.Equals(extension, "xml", StringComparison.OrdinalIgnoreCase);
    }

    public static IResult Services(Open311Format format, IEnumerable<Open311Service> services) =>
        List(format, "services", "service", services.Select(s => new Fields
        {
            ["service_code"] = s.Code,
            ["service_name"] = s.Category,
            ["description"] = s.Description,
            ["metadata"] = false,
            ["type"] = "realtime",
            ["keywords"] = string.Join(",", s.Keywords),
            ["group"] = s.Group,
        }), StatusCodes.Status200OK);

    /// <summary>A service definition with no attributes: our services ask for nothing beyond the standard fields.</summary>
    public static IResult Definition(Open311Format format, Open311Service service)
    {
        if (format == Open311Format.Json)
        {
            return Json(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("service_code", service.Code);
                writer.WriteStartArray("attributes");
                writer.WriteEndArray();
                writer.WriteEndObject();
            }, StatusCodes.Status200OK);
        }

        return Xml(writer =>
        {
            writer.WriteStartElement("service_definition");
            writer.WriteElementString("service_code", service.Code);
            writer.WriteStartElement("attributes");
            writer.WriteEndElement();
            writer.WriteEndElement();
        }, StatusCodes.Status200OK);
    }

    public static IResult Requests(Open311Format format, IEnumerable<ServiceRequest> requests) =>
        List(format, "service_requests", "request", requests.Select(ToFields), StatusCodes.Status200OK);

    /// <summary>The answer to a POST: the new id, a notice, and the (unused) account_id, as in the spec's example.</summary>
    public static IResult Created(Open311Format format, string serviceRequestId, string? serviceNotice) =>
        List(format, "service_requests", "request", [new Fields
        {
            ["service_request_id"] = serviceRequestId,
            ["service_notice"] = serviceNotice,
            ["account_id"] = null,
        }], StatusCodes.Status200OK);

    public static IResult Errors(Open311Format format, int statusCode, IEnumerable<Open311Error> errors) =>
        List(format, "errors", "error", errors.Select(e => new Fields { ["code"] = e.Code, ["description"] = e.Description }), statusCode);

    public static IResult Error(Open311Format format, int statusCode, string description) =>
        Errors(format, statusCode, [new Open311Error(statusCode, description)]);

    private static Fields ToFields(ServiceRequest r)
    {
        var fields = new Fields
        {
            ["service_request_id"] = r.ServiceRequestId,
            ["status"] = r.Status,
            ["status_notes"] = r.StatusNotes,
            ["service_name"] = r.ServiceName,
            ["service_code"] = r.ServiceCode,
            ["description"] = r.Description,
            ["agency_responsible"] = r.AgencyResponsible,
            ["service_notice"] = r.ServiceNotice,
            ["requested_datetime"] = ServiceRequestMapper.FormatDatetime(r.RequestedDatetime),
            ["updated_datetime"] = ServiceRequestMapper.FormatDatetime(r.UpdatedDatetime),
            ["expected_datetime"] = r.ExpectedDatetime is { } expected ? ServiceRequestMapper.FormatDatetime(expected) : null,
            ["address"] = r.Address,
            ["address_id"] = null,
            ["zipcode"] = null,
        };
        // A point is published only when the client sent one; we do not geocode addresses.
        if (r.Lat is { } lat && r.Long is { } lon)
        {
            fields["lat"] = lat;
            fields["long"] = lon;
        }

        fields["media_url"] = r.MediaUrl;
        return fields;
    }

    private static IResult List(Open311Format format, string root, string item, IEnumerable<Fields> items, int statusCode)
    {
        if (format == Open311Format.Json)
        {
            return Json(writer =>
            {
                writer.WriteStartArray();
                foreach (var fields in items)
                {
                    writer.WriteStartObject();
                    foreach (var (name, value) in fields)
                    {
                        writer.WritePropertyName(name);
                        switch (value)
                        {
                            case null: writer.WriteNullValue(); break;
                            case string s: writer.WriteStringValue(s); break;
                            case bool b: writer.WriteBooleanValue(b); break;
                            case int i: writer.WriteNumberValue(i); break;
                            case double d: writer.WriteNumberValue(d); break;
                            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                        }
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }, statusCode);
        }

        return Xml(writer =>
        {
            writer.WriteStartElement(root);
            foreach (var fields in items)
            {
                writer.WriteStartElement(item);
                foreach (var (name, value) in fields)
                {
                    writer.WriteStartElement(name);
                    switch (value)
                    {
                        case null: break;
                        case bool b: writer.WriteString(b ? "true" : "false"); break;
                        case double d: writer.WriteString(d.ToString("R", CultureInfo.InvariantCulture)); break;
                        default: writer.WriteString(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                    }

                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }, statusCode);
    }

    private static IResult Json(Action<Utf8JsonWriter> write, int statusCode)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return Results.Text(Encoding.UTF8.GetString(buffer.ToArray()), "application/json; charset=utf-8", Encoding.UTF8, statusCode);
    }

    private static IResult Xml(Action<XmlWriter> write, int statusCode)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = Utf8, Indent = false }))
        {
            writer.WriteStartDocument();
            write(writer);
            writer.WriteEndDocument();
        }

        return Results.Text(Encoding.UTF8.GetString(buffer.ToArray()), "text/xml; charset=utf-8", Encoding.UTF8, statusCode);
    }

    /// <summary>An item's fields in the order the spec lists them.</summary>
    private sealed class Fields : List<KeyValuePair<string, object?>>
    {
        public object? this[string name]
        {
            set => Add(new KeyValuePair<string, object?>(name, value));
        }
    }
}
