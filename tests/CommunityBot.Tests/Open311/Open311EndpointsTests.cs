using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Dialogs.Tickets;
using CommunityBot.Directory;
using CommunityBot.Notifications;
using CommunityBot.Tests.Harness;
using CommunityBot.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityBot.Tests.Open311;

/// <summary>The GeoReport v2 API through the real host, checked against the specification's examples.</summary>
public sealed class Open311EndpointsTests : IDisposable
{
    private const string ApiKey = "district-platform-key";
    private const string Base = "/open311/v2";

    private BotApplication _app;
    private HttpClient _client;

    public Open311EndpointsTests()
    {
        (_app, _client) = Start();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private TicketStore Tickets => _app.Services.GetRequiredService<TicketStore>();

    [Fact]
    public async Task Services_Xml_HasTheSpecExampleElementsAndNesting()
    {
        var response = await _client.GetAsync($"{Base}/services.xml");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType!.MediaType);
        var ours = XDocument.Parse(await response.Content.ReadAsStringAsync());
        SpecExamples.AssertSameXmlShape(SpecExamples.Xml("services.xml"), ours);
        var property = ours.Root!.Elements("service").Single(s => s.Element("service_code")!.Value == "property");
        Assert.Equal("物业管理", property.Element("service_name")!.Value);
        Assert.Equal("false", property.Element("metadata")!.Value);
        Assert.Equal("realtime", property.Element("type")!.Value);
        Assert.Equal(13, ours.Root.Elements("service").Count());
    }

    [Fact]
    public async Task Services_Json_HasTheSpecExampleFieldsAndTypes()
    {
        var ours = await GetJsonArrayAsync($"{Base}/services.json");

        SpecExamples.AssertSameJsonShape(SpecExamples.Json("services.json"), ours);
        Assert.Equal(
            ["property", "environment", "sanitation", "utilities", "municipal", "traffic", "neighbours", "housing", "fire-safety", "public-security", "market", "social-affairs", "other"],
            ours.Select(s => (string)s!["service_code"]!));
        Assert.All(ours, s => Assert.False((bool)s!["metadata"]!));
    }

    [Fact]
    public async Task ServiceDefinition_KnownCode_HasNoAttributes()
    {
        var xml = XDocument.Parse(await _client.GetStringAsync($"{Base}/services/utilities.xml"));
        var json = JsonNode.Parse(await _client.GetStringAsync($"{Base}/services/utilities.json"))!;

        Assert.Equal("service_definition", xml.Root!.Name.LocalName);
        Assert.Equal("utilities", xml.Root.Element("service_code")!.Value);
        Assert.Empty(xml.Root.Element("attributes")!.Elements());
        Assert.Equal("utilities", (string)json["service_code"]!);
        Assert.Empty(json["attributes"]!.AsArray());
    }

    [Fact]
    public async Task ServiceDefinition_UnknownCode_Returns404ErrorList()
    {
        var response = await _client.GetAsync($"{Base}/services/DMV66.xml");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var errors = XDocument.Parse(await response.Content.ReadAsStringAsync());
        SpecExamples.AssertSameXmlShape(SpecExamples.Xml("errors.xml"), errors);
        Assert.Equal("404", errors.Root!.Element("error")!.Element("code")!.Value);
    }

    [Fact]
    public async Task AnyEndpoint_UnknownFormat_Returns404NamingTheFormats()
    {
        var response = await _client.GetAsync($"{Base}/services.html");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Contains(".json", (string)errors[0]!["description"]!);
    }

    [Fact]
    public async Task AnyEndpoint_OtherJurisdiction_Returns404ErrorList()
    {
        var response = await _client.GetAsync($"{Base}/requests.json?jurisdiction_id=city.gov");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        SpecExamples.AssertSameJsonShape(SpecExamples.Json("errors.json"), JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"{Base}/services.json?jurisdiction_id=fenghe.communitybot")).StatusCode);
    }

    [Fact]
    public async Task PostRequest_ValidForm_FilesTicketAndQueuesWorkerCard()
    {
        var response = await PostAsync("xml", Form(("service_code", "environment"), ("description", "楼下烧烤店天天半夜吵得睡不着"), ("address_string", "幸福里小区5号楼")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ours = XDocument.Parse(await response.Content.ReadAsStringAsync());
        SpecExamples.AssertSameXmlShape(SpecExamples.Xml("post-response.xml"), ours);
        var id = ours.Root!.Element("request")!.Element("service_request_id")!.Value;
        Assert.Equal(TicketFlows.FirstTicket, id);

        var ticket = Assert.IsType<Ticket>(Tickets.Find(id));
        Assert.Equal("环境保护", ticket.Category);
        Assert.Equal("xingfuli", ticket.CompoundId);
        Assert.Equal("5", ticket.Building);
        Assert.Equal("open311", ticket.Reporter.Channel);
        Assert.Equal(TicketStatus.Pending, ticket.Status);
        Assert.Contains(ticket.AssigneeName, ours.Root.Element("request")!.Element("service_notice")!.Value);

        var worker = _app.Services.GetRequiredService<GridDirectory>().Current.Workers[ticket.AssigneeId];
        var card = Assert.Single(_app.Services.GetRequiredService<Outbox>().All(), m => m.Channel == "local");
        Assert.Equal(worker.WebChatUserId, JsonSerializer.Deserialize<ConversationReference>(card.To, DialogJson.Options)!.UserId);
        var message = JsonSerializer.Deserialize<OutboundMessage>(card.Message, DialogJson.Options)!;
        Assert.Equal("新工单 " + id, message.Title);
        Assert.Contains("烧烤店", message.Text);
    }

    [Fact]
    public async Task PostRequest_SpecExampleBody_FilesTicketWithPointAndMedia()
    {
        // The spec's own example request, with our key and one of our service codes; attribute[…] is ignored.
        var body = SpecExamples.Text("post-request.txt").Trim()
            .Replace("api_key=xyz", "api_key=" + ApiKey, StringComparison.Ordinal)
            .Replace("jurisdiction_id=city.gov", "jurisdiction_id=fenghe.communitybot", StringComparison.Ordinal)
            .Replace("service_code=001", "service_code=municipal", StringComparison.Ordinal);

        var response = await _client.PostAsync($"{Base}/requests.json", new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        SpecExamples.AssertSameJsonShape(SpecExamples.Json("post-response.json"), created);
        var id = (string)created[0]!["service_request_id"]!;

        var request = Assert.Single(await GetJsonArrayAsync($"{Base}/requests/{id}.json"));
        SpecExamples.AssertSameJsonShape(SpecExamples.Json("requests.json"), new JsonArray(request!.DeepClone()));
        Assert.Equal(37.76524078, (double)request["lat"]!);
        Assert.Equal(-122.4212043, (double)request["long"]!);
        Assert.Equal("1234 5th street", (string)request["address"]!);
        Assert.Equal("http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg", (string)request["media_url"]!);
        Assert.Equal("A large sinkhole is destroying the street", (string)request["description"]!);
        Assert.Equal("2026-11-23T20:00:00+08:00", (string)request["requested_datetime"]!);
        Assert.Equal("open", (string)request["status"]!);
        Assert.Equal("市政管养", (string)request["service_name"]!);
    }

    [Fact]
    public async Task PostRequest_SpecExampleServiceCode_Returns404AndFilesNothing()
    {
        var body = SpecExamples.Text("post-request.txt").Trim().Replace("api_key=xyz", "api_key=" + ApiKey, StringComparison.Ordinal)
            .Replace("jurisdiction_id=city.gov&", "", StringComparison.Ordinal);

        var response = await _client.PostAsync($"{Base}/requests.xml", new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var errors = XDocument.Parse(await response.Content.ReadAsStringAsync());
        SpecExamples.AssertSameXmlShape(SpecExamples.Xml("errors.xml"), errors);
        Assert.Contains("service_code '001'", errors.Root!.Element("error")!.Element("description")!.Value);
        Assert.Empty(Tickets.All());
    }

    [Fact]
    public async Task PostRequest_MissingServiceCodeAndDescription_Returns400WithBothErrors()
    {
        var response = await PostAsync("xml", Form(("address_string", "幸福里小区5号楼")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = XDocument.Parse(await response.Content.ReadAsStringAsync());
        SpecExamples.AssertSameXmlShape(SpecExamples.Xml("errors.xml"), errors);
        var descriptions = errors.Root!.Elements("error").Select(e => e.Element("description")!.Value).ToList();
        Assert.Equal(2, descriptions.Count);
        Assert.Contains(descriptions, d => d.Contains("service_code is required", StringComparison.Ordinal));
        Assert.Contains(descriptions, d => d.Contains("description is required", StringComparison.Ordinal));
        Assert.All(errors.Root.Elements("error"), e => Assert.Equal("400", e.Element("code")!.Value));
        Assert.Empty(Tickets.All());
    }

    [Theory]
    [InlineData("", "", "", "A location is required")]
    [InlineData("37.7", "", "", "lat and long must be given together")]
    [InlineData("95", "120", "", "lat must be a decimal degree")]
    [InlineData("", "", "555", "address_id is not supported")]
    public async Task PostRequest_BadLocation_Returns400Saying(string lat, string lon, string addressId, string expected)
    {
        var response = await PostAsync("json", Form(("service_code", "property"), ("description", "电梯坏了"), ("lat", lat), ("long", lon), ("address_id", addressId)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Contains(errors, e => ((string)e!["description"]!).Contains(expected, StringComparison.Ordinal));
        Assert.Empty(Tickets.All());
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData("")]
    public async Task PostRequest_BadApiKey_Returns403AndFilesNothing(string key)
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["api_key"] = key, ["service_code"] = "property", ["description"] = "电梯坏了", ["address_string"] = "幸福里小区3号楼",
        });

        var response = await _client.PostAsync($"{Base}/requests.json", form);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        SpecExamples.AssertSameJsonShape(SpecExamples.Json("errors.json"), errors);
        Assert.Equal(403, (int)errors[0]!["code"]!);
        Assert.Empty(Tickets.All());
    }

    [Fact]
    public async Task PostRequest_NoKeysConfigured_Returns403()
    {
        Restart(new() { ["Open311:ApiKeys:0"] = null });

        var response = await PostAsync("json", Form(("service_code", "property"), ("description", "电梯坏了"), ("address_string", "幸福里小区3号楼")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task PostRequest_JsonBody_Returns400AskingForAForm()
    {
        var response = await _client.PostAsync($"{Base}/requests.json",
            new StringContent("{\"service_code\":\"property\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("x-www-form-urlencoded", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostRequest_OversizedBody_Returns413AndFilesNothing()
    {
        var response = await PostAsync("json", Form(("service_code", "property"), ("description", new string('吵', 20_000)), ("address_string", "幸福里小区3号楼")));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray()[0]!["code"]!);
        Assert.Empty(Tickets.All());
    }

    [Fact]
    public async Task PostRequest_DescriptionOverTheLimit_Returns400()
    {
        var response = await PostAsync("json", Form(("service_code", "property"), ("description", new string('a', 2001)), ("address_string", "幸福里小区3号楼")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("description is longer than 2000", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostRequest_OverRateLimit_Returns429UntilTheWindowPasses()
    {
        Restart(new() { ["Open311:PostsPerWindow"] = "2", ["Open311:RateWindow"] = "00:01:00" });
        var buildings = new Queue<string>(["1", "2", "3", "4"]);
        Task<HttpResponseMessage> Post() => PostAsync("json", Form(("service_code", "property"), ("description", "电梯坏了"), ("address_string", $"幸福里小区{buildings.Dequeue()}号楼")));

        Assert.Equal(HttpStatusCode.OK, (await Post()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post()).StatusCode);
        var refused = await Post();
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter!.Delta);
        Assert.Equal(2, Tickets.All().Count);

        _app.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await Post()).StatusCode);
    }

    [Fact]
    public async Task PostRequest_RepeatedWrongKeys_Returns429()
    {
        Restart(new() { ["Open311:PostsPerWindow"] = "2" });
        Task<HttpResponseMessage> Post(string key) => _client.PostAsync($"{Base}/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["api_key"] = key, ["service_code"] = "property", ["description"] = "电梯坏了", ["address_string"] = "幸福里小区3号楼",
        }));

        Assert.Equal(HttpStatusCode.Forbidden, (await Post("guess-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post("guess-2")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Post("guess-3")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post(ApiKey)).StatusCode); // the real client has its own allowance
    }

    [Fact]
    public async Task PostRequest_SameProblemTwice_JoinsTheOpenTicket()
    {
        var first = await PostAsync("json", Form(("service_code", "environment"), ("description", "烧烤店吵"), ("address_string", "幸福里小区5号楼"), ("email", "a@example.cn")));
        _app.Time.Advance(TimeSpan.FromMinutes(10));
        var second = await PostAsync("json", Form(("service_code", "environment"), ("description", "又在吵"), ("address_string", "幸福里小区5号楼"), ("email", "b@example.cn")));

        var firstId = (string)JsonNode.Parse(await first.Content.ReadAsStringAsync())![0]!["service_request_id"]!;
        var joined = JsonNode.Parse(await second.Content.ReadAsStringAsync())![0]!;
        Assert.Equal(firstId, (string)joined["service_request_id"]!);
        Assert.Contains("共 2 人反映", (string)joined["service_notice"]!);
        Assert.Single(Tickets.All());
    }

    [Fact]
    public async Task GetRequest_PrivateContactAndRoom_NeverReturned()
    {
        var created = await PostAsync("json", Form(
            ("service_code", "housing"), ("description", "卫生间天花板漏水"), ("address_string", "幸福里小区5号楼2单元301室"),
            ("first_name", "小明"), ("last_name", "张"), ("phone", "13912345678"), ("email", "zhang@example.cn"), ("account_id", "acct-77"), ("device_id", "dev-9")));
        var id = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())![0]!["service_request_id"]!;

        var one = await _client.GetStringAsync($"{Base}/requests/{id}.json");
        var list = await _client.GetStringAsync($"{Base}/requests.xml");

        foreach (var body in new[] { one, list })
        {
            Assert.Contains(id, body);
            foreach (var secret in new[] { "13912345678", "zhang@example.cn", "小明", "acct-77", "dev-9", "301" })
            {
                Assert.DoesNotContain(secret, body);
            }
        }

        Assert.Equal("幸福里小区5号楼2单元", (string)JsonNode.Parse(one)![0]!["address"]!);
        var ticket = Tickets.Find(id)!;
        Assert.Equal("13912345678", ticket.Reporter.Phone);
        Assert.Equal("张小明", ticket.Reporter.UserName);
        Assert.Equal("301", ticket.Room);
    }

    [Fact]
    public async Task Issue12_GetRequest_SpacedMobileAndRoomInTheDescription_HiddenAsInTheGroup()
    {
        var id = await FileAsync("housing", "3-2-501卫生间漏水，电话 138 1234 5678，座机0371-6600 1234", "幸福里小区3号楼");

        var one = Assert.Single(await GetJsonArrayAsync($"{Base}/requests/{id}.json"))!;
        var list = await _client.GetStringAsync($"{Base}/requests.xml");

        Assert.Equal("3-2-***卫生间漏水，电话 （号码已隐藏），座机（号码已隐藏）", (string)one["description"]!);
        foreach (var secret in new[] { "1234 5678", "5678", "501", "6600" })
        {
            Assert.DoesNotContain(secret, list);
        }

        // The handling worker's private card keeps what the resident wrote.
        Assert.Contains(_app.Services.GetRequiredService<Outbox>().All(), m => JsonSerializer.Deserialize<OutboundMessage>(m.Message, DialogJson.Options)!.Text.Contains("3-2-501卫生间漏水，电话 138 1234 5678", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetRequest_Unknown_Returns404ErrorList()
    {
        var response = await _client.GetAsync($"{Base}/requests/WT20990101-0001.xml");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        SpecExamples.AssertSameXmlShape(SpecExamples.Xml("errors.xml"), XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task GetRequest_AfterWorkerRepliesAndCloses_IsClosedWithTheWorkersNote()
    {
        var id = await FileAsync("property", "电梯坏了", "幸福里小区3号楼");
        _app.Time.Advance(TimeSpan.FromMinutes(20));
        await ActAsync(id, WorkerAction.Reply, "维修师傅明早九点到");
        var open = Assert.Single(await GetJsonArrayAsync($"{Base}/requests/{id}.json"))!;
        Assert.Equal("open", (string)open["status"]!);
        Assert.Equal("维修师傅明早九点到", (string)open["status_notes"]!);
        Assert.Equal("2026-11-23T20:20:00+08:00", (string)open["updated_datetime"]!);
        // Filed at 20:00, out of the grid worker's hours, the demo directory routes it to the community's staff.
        var expectedAgency = Tickets.Find(id)!.Level == TicketLevel.Grid ? "丰和里一网格" : "丰和里社区";
        Assert.Equal(expectedAgency, (string)open["agency_responsible"]!);

        _app.Time.Advance(TimeSpan.FromHours(15));
        await ActAsync(id, WorkerAction.Close, "电梯已修好");

        var closed = XDocument.Parse(await _client.GetStringAsync($"{Base}/requests/{id}.xml"));
        SpecExamples.AssertSameXmlShape(SpecExamples.Xml("requests.xml"), WithPoint(closed));
        var request = closed.Root!.Element("request")!;
        Assert.Equal("closed", request.Element("status")!.Value);
        Assert.Equal("电梯已修好", request.Element("status_notes")!.Value);
        Assert.Equal("2026-11-24T11:20:00+08:00", request.Element("updated_datetime")!.Value);
        Assert.Null(request.Element("lat"));

        // The resident's feedback questions go to the API reporter's channel, which accepts them (the client polls).
        await _app.DeliverAsync();
        Assert.DoesNotContain(_app.Services.GetRequiredService<Outbox>().All(), m => m.Channel == "open311");
    }

    [Fact]
    public async Task GetRequests_ByServiceCode_ReturnsOnlyThoseServices()
    {
        var (noise, lift, leak) = await FileThreeAsync();

        Assert.Equal([leak, lift], await IdsAsync("service_code=property"));
        Assert.Equal([leak, lift, noise], await IdsAsync("service_code=property,environment"));
        Assert.Empty(await IdsAsync("service_code=utilities"));
    }

    [Fact]
    public async Task GetRequests_ByStatus_SplitsOpenAndClosed()
    {
        var (noise, lift, leak) = await FileThreeAsync();
        await ActAsync(leak, WorkerAction.Close, "已修好");

        Assert.Equal([leak], await IdsAsync("status=closed"));
        Assert.Equal([lift, noise], await IdsAsync("status=open"));
        Assert.Equal([leak, lift, noise], await IdsAsync("status=open,closed"));
    }

    [Fact]
    public async Task GetRequests_ByDates_ReturnsRequestsMadeInTheRange()
    {
        var (_, lift, _) = await FileThreeAsync(); // 20:00, 21:00 and 22:00 on 23 November (+08:00)

        Assert.Equal([lift], await IdsAsync("start_date=2026-11-23T20:30:00%2B08:00&end_date=2026-11-23T21:30:00%2B08:00"));
        Assert.Equal([lift], await IdsAsync("start_date=2026-11-23T12:30:00Z&end_date=2026-11-23T13:30:00Z"));
        Assert.Equal([lift], await IdsAsync("start_date=2026-11-23T20:30:00&end_date=2026-11-23T21:30:00")); // office time
    }

    [Fact]
    public async Task GetRequests_ByServiceRequestIds_OverridesOtherFilters()
    {
        var (noise, _, leak) = await FileThreeAsync();

        // In the order asked for; the unknown id is simply absent.
        Assert.Equal([noise, leak], await IdsAsync($"service_request_id={noise},{leak},WT20990101-0001&service_code=utilities&status=closed"));
    }

    [Fact]
    public async Task GetRequests_NoDates_CoverTheLast90Days()
    {
        var (noise, lift, leak) = await FileThreeAsync();
        Assert.Equal([leak, lift, noise], await IdsAsync(""));

        _app.Time.Advance(TimeSpan.FromDays(91));
        Assert.Empty(await IdsAsync(""));
        Assert.Equal([leak, lift, noise], await IdsAsync("start_date=2026-11-01T00:00:00%2B08:00"));
    }

    [Theory]
    [InlineData("start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z", "more than 90 days")]
    [InlineData("start_date=2026-11-02T00:00:00Z&end_date=2026-11-01T00:00:00Z", "start_date is after end_date")]
    [InlineData("start_date=yesterday", "start_date must be a W3C datetime")]
    [InlineData("status=pending", "status must be 'open' or 'closed'")]
    [InlineData("service_code=001", "service_code '001' was not found")]
    public async Task GetRequests_BadFilter_Returns400Saying(string query, string expected)
    {
        var response = await _client.GetAsync($"{Base}/requests.json?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetRequests_Xml_HasTheSpecExampleElementsAndNesting()
    {
        await FileThreeAsync();
        await PostAsync("json", Form(("service_code", "municipal"), ("description", "路灯不亮"), ("lat", "34.7466"), ("long", "113.6253")));

        var ours = XDocument.Parse(await _client.GetStringAsync($"{Base}/requests.xml"));

        var withPoint = new XDocument(new XElement(ours.Root!.Name, ours.Root.Elements().Where(r => r.Element("lat") is not null)));
        SpecExamples.AssertSameXmlShape(SpecExamples.Xml("requests.xml"), withPoint);
        Assert.Equal(4, ours.Root.Elements("request").Count());
        Assert.Equal("34.7466", withPoint.Root!.Element("request")!.Element("lat")!.Value);
    }

    private (BotApplication, HttpClient) Start(Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Open311:ApiKeys:0"] = ApiKey,
            ["Open311:WorkerChannel"] = "local",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        var app = new BotApplication(settings);
        return (app, app.CreateClient());
    }

    private void Restart(Dictionary<string, string?> overrides)
    {
        Dispose();
        (_app, _client) = Start(overrides);
    }

    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields)
    {
        var form = fields.Where(f => f.Value.Length > 0).ToDictionary(f => f.Key, f => f.Value);
        form.TryAdd("api_key", ApiKey);
        return form;
    }

    private Task<HttpResponseMessage> PostAsync(string format, Dictionary<string, string> form) =>
        _client.PostAsync($"{Base}/requests.{format}", new FormUrlEncodedContent(form));

    private async Task<string> FileAsync(string code, string description, string address)
    {
        var response = await PostAsync("json", Form(("service_code", code), ("description", description), ("address_string", address)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())![0]!["service_request_id"]!;
    }

    /// <summary>Noise at 20:00, a lift at 21:00 and a leak at 22:00 (+08:00), in different buildings.</summary>
    private async Task<(string Noise, string Lift, string Leak)> FileThreeAsync()
    {
        var noise = await FileAsync("environment", "烧烤店半夜吵", "幸福里小区5号楼");
        _app.Time.Advance(TimeSpan.FromHours(1));
        var lift = await FileAsync("property", "电梯坏了", "和平里小区3号楼");
        _app.Time.Advance(TimeSpan.FromHours(1));
        var leak = await FileAsync("property", "楼道水管漏水", "幸福里小区7号楼");
        return (noise, lift, leak);
    }

    private async Task<List<string>> IdsAsync(string query) =>
        (await GetJsonArrayAsync($"{Base}/requests.json?{query}")).Select(r => (string)r!["service_request_id"]!).ToList();

    private async Task<JsonArray> GetJsonArrayAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    /// <summary>Acts on the ticket as its assignee on the local chat page, as a worker pressing the card's button would.</summary>
    private async Task ActAsync(string id, WorkerAction action, string note)
    {
        var ticket = Tickets.Find(id)!;
        var worker = _app.Services.GetRequiredService<GridDirectory>().Current.Workers[ticket.AssigneeId];
        var actor = new ConversationReference { Channel = "local", ConversationId = "private-" + worker.WebChatUserId, UserId = worker.WebChatUserId!, UserName = worker.Name };
        var result = await _app.Services.GetRequiredService<TicketDesk>().ActAsync(
            new WorkerActionRequest(id, action, actor, note, _app.Time.GetUtcNow()), CancellationToken.None);
        Assert.True(result.Succeeded, TicketMessages.ToActor(result));
    }

    /// <summary>Our request without a point has no lat/long (we publish a point only when one was sent); add them to compare shapes.</summary>
    private static XDocument WithPoint(XDocument ours)
    {
        var copy = new XDocument(ours);
        foreach (var request in copy.Root!.Elements("request").Where(r => r.Element("lat") is null))
        {
            request.Element("zipcode")!.AddAfterSelf(new XElement("lat", "0"), new XElement("long", "0"));
        }

        return copy;
    }
}
