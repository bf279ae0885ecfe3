using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace CommunityBot.Tests.Open311;

/// <summary>
/// The GeoReport v2 specification's example payloads (Payloads/open311, from https://wiki.open311.org/GeoReport_v2/)
/// and checks that our documents have the same element names, nesting and value types.
/// </summary>
public static class SpecExamples
{
    // The spec's examples number their ids (638344) but the field is an opaque "unique ID": a string is as valid.
    private static readonly HashSet<string> IdFields = ["service_request_id", "service_code", "address_id", "zipcode", "account_id"];

    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "open311", name));

    public static XDocument Xml(string name) => XDocument.Parse(Text(name));

    public static JsonArray Json(string name) => JsonNode.Parse(Text(name))!.AsArray();

    /// <summary>Same root, same item element, and every item of ours has exactly the children of the spec's first item.</summary>
    public static void AssertSameXmlShape(XDocument spec, XDocument ours)
    {
        Assert.Equal(spec.Root!.Name, ours.Root!.Name);
        var specItem = spec.Root.Elements().First();
        var expected = specItem.Elements().Select(e => e.Name.LocalName).Order().ToList();
        Assert.NotEmpty(ours.Root.Elements());
        foreach (var item in ours.Root.Elements())
        {
            Assert.Equal(specItem.Name, item.Name);
            Assert.Equal(expected, item.Elements().Select(e => e.Name.LocalName).Order().ToList());
            Assert.All(item.Elements(), e => Assert.False(e.HasElements, $"{e.Name} should be a leaf as in the spec"));
        }
    }

    /// <summary>Both are arrays of objects; each of ours has the keys of the spec's first object with compatible value kinds.</summary>
    public static void AssertSameJsonShape(JsonArray spec, JsonArray ours)
    {
        var specItem = spec[0]!.AsObject();
        Assert.NotEmpty(ours);
        foreach (var node in ours)
        {
            var item = node!.AsObject();
            Assert.Equal(specItem.Select(p => p.Key).Order(), item.Select(p => p.Key).Order());
            foreach (var (key, value) in item)
            {
                if (value is null || specItem[key] is null)
                {
                    continue;
                }

                var specKind = specItem[key]!.GetValueKind();
                var ourKind = value.GetValueKind();
                var compatible = specKind == ourKind
                    || (specKind is JsonValueKind.True or JsonValueKind.False && ourKind is JsonValueKind.True or JsonValueKind.False)
                    || (IdFields.Contains(key) && specKind == JsonValueKind.Number && ourKind == JsonValueKind.String);
                Assert.True(compatible, $"{key}: the spec has {specKind}, we wrote {ourKind}");
            }
        }
    }
}
