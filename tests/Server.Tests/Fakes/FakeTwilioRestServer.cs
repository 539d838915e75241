using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EstateVoice.Server.Tests.Fakes;

/// <summary>One request Twilio's REST API received: path, Basic credentials, and the form fields (repeated fields kept).</summary>
public sealed record TwilioRestRequest(string Path, string? Authorization, IReadOnlyList<KeyValuePair<string, string>> Form)
{
    public string? this[string field] => Form.FirstOrDefault(f => f.Key == field).Value;
    public IEnumerable<string> All(string field) => Form.Where(f => f.Key == field).Select(f => f.Value);
}

/// <summary>
/// Twilio's Call resource on loopback: <c>POST /2010-04-01/Accounts/{sid}/Calls.json</c> (create) and
/// <c>.../Calls/{callSid}.json</c> (update). Records every request; can answer a scripted Twilio error.
/// </summary>
public sealed class FakeTwilioRestServer : IAsyncDisposable
{
    public const string AccountSid = "AC00000000000000000000000000000001";
    public const string AuthToken = "fake-twilio-auth-token";

    private WebApplication _app = null!;

    public ConcurrentQueue<TwilioRestRequest> Requests { get; } = new();

    /// <summary>When set, every request answers this Twilio error (<c>{code, message, status}</c>).</summary>
    public (int Status, int Code, string Message)? Failure { get; set; }

    public string BaseUrl => _app.BaseUrl();

    public static async Task<FakeTwilioRestServer> StartAsync()
    {
        var fake = new FakeTwilioRestServer();
        fake._app = await FakeServerHost.StartAsync(app =>
        {
            app.MapPost("/2010-04-01/Accounts/{account}/Calls.json", (HttpContext c, string account) => fake.HandleAsync(c, account, null));
            app.MapPost("/2010-04-01/Accounts/{account}/Calls/{callSid}.json", (HttpContext c, string account, string callSid) => fake.HandleAsync(c, account, callSid));
            app.MapGet("/2010-04-01/Accounts/{account}.json", (HttpContext c, string account) => fake.FetchAccount(c, account));
        });
        return fake;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>GET Accounts/{sid}.json: the admin integrations probe.</summary>
    private IResult FetchAccount(HttpContext context, string account)
    {
        Requests.Enqueue(new TwilioRestRequest(context.Request.Path, context.Request.Headers.Authorization, []));
        var expected = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
        if (context.Request.Headers.Authorization != expected || account != AccountSid)
            return Results.Json(new { code = 20003, message = "Authenticate", status = 401 }, statusCode: 401);
        return Results.Json(new { sid = account, friendly_name = "Fake account", status = "active", type = "Full" });
    }

    private async Task<IResult> HandleAsync(HttpContext context, string account, string? callSid)
    {
        var form = await context.Request.ReadFormAsync();
        Requests.Enqueue(new TwilioRestRequest(context.Request.Path, context.Request.Headers.Authorization,
            form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList()));
        var expected = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
        if (context.Request.Headers.Authorization != expected || account != AccountSid)
            return Results.Json(new { code = 20003, message = "Authenticate", status = 401 }, statusCode: 401);
        if (Failure is { } failure)
            return Results.Json(new { code = failure.Code, message = failure.Message, more_info = "https://www.twilio.com/docs/errors", status = failure.Status },
                statusCode: failure.Status);
        if (callSid is null)
        {
            if (string.IsNullOrEmpty(form["To"]) || string.IsNullOrEmpty(form["From"]) || (string.IsNullOrEmpty(form["Url"]) && string.IsNullOrEmpty(form["Twiml"])))
                return Results.Json(new { code = 21205, message = "Url parameter is required.", status = 400 }, statusCode: 400);
            var sid = "CA" + Guid.NewGuid().ToString("N");
            return Results.Json(new
            {
                sid, account_sid = account, to = form["To"].ToString(), from = form["From"].ToString(), status = "queued",
                direction = "outbound-api", api_version = "2010-04-01"
            }, statusCode: 201);
        }
        return Results.Json(new { sid = callSid, account_sid = account, status = form["Status"].ToString() is { Length: > 0 } s ? s : "in-progress" });
    }
}
