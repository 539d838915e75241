using System.Net.Http.Json;
using System.Text;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>
/// Walks every endpoint the app maps × caller (anonymous, Admin, Manager, Agent on their own record, Agent on
/// another agent's) and checks the status SPEC section 3 gives. The table lives in <see cref="MatrixRows"/>.
/// </summary>
public class AuthorizationMatrixTests
{
    [Fact]
    public async Task Every_mapped_endpoint_is_in_the_matrix_or_listed_as_public()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var endpoints = MappedEndpoints(app);
        var rows = MatrixRows.All.Select(r => r.Key).ToList();

        var duplicates = rows.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"Rows listed twice: {string.Join(", ", duplicates)}");
        var missing = endpoints.Keys.Where(k => !rows.Contains(k) && !MatrixRows.Public.ContainsKey(k)).Order().ToList();
        Assert.True(missing.Count == 0,
            $"Endpoints missing from the authorization matrix (add rows as MatrixRows.cs explains): {string.Join(", ", missing)}");
        var stale = rows.Concat(MatrixRows.Public.Keys).Where(r => !endpoints.ContainsKey(r)).ToList();
        Assert.True(stale.Count == 0, $"Matrix rows for endpoints that are not mapped: {string.Join(", ", stale)}");

        var anonymousButNotListed = endpoints.Where(e => e.Value && !MatrixRows.Public.ContainsKey(e.Key)).Select(e => e.Key).ToList();
        Assert.True(anonymousButNotListed.Count == 0, $"AllowAnonymous endpoints not listed as public: {string.Join(", ", anonymousButNotListed)}");
        var listedButProtected = MatrixRows.Public.Keys.Where(k => endpoints.TryGetValue(k, out var anonymous) && !anonymous).ToList();
        Assert.True(listedButProtected.Count == 0, $"Listed as public but require a token: {string.Join(", ", listedButProtected)}");
    }

    [Theory, MemberData(nameof(AppFactory.Databases), MemberType = typeof(AppFactory))]
    public async Task Every_endpoint_answers_each_caller_as_the_role_matrix_says(Db db)
    {
        await using var app = await AppFactory.CreateAsync(db);
        var world = await CrmWorld.CreateAsync(app);
        var callers = new (string Name, HttpClient Client, Whose Whose, Func<Expect, int> Expected)[]
        {
            ("anonymous", app.CreateClient(), Whose.Other, e => e.Anonymous),
            ("admin", await app.ClientForAsync(world.Admin), Whose.Other, e => e.Admin),
            ("manager", await app.ClientForAsync(world.Manager), Whose.Other, e => e.Manager),
            ("agent/own", await app.ClientForAsync(world.AgentA), Whose.Own, e => e.AgentOwn),
            ("agent/other", await app.ClientForAsync(world.AgentA), Whose.Other, e => e.AgentOther),
        };

        var failures = new StringBuilder();
        var checkedCount = 0;
        foreach (var row in MatrixRows.All)
            foreach (var (name, client, whose, expected) in callers)
            {
                var request = await row.Request(new MatrixContext(world, whose));
                using var message = new HttpRequestMessage(request.Method, request.Path);
                if (request.Body is not null) message.Content = request.Body as HttpContent ?? JsonContent.Create(request.Body);
                using var response = await client.SendAsync(message);
                checkedCount++;
                if ((int)response.StatusCode != expected(row.Expect))
                    failures.AppendLine($"{row.Key} as {name}: expected {expected(row.Expect)}, got {(int)response.StatusCode} "
                                        + $"({request.Method} {request.Path}) {Truncate(await response.Content.ReadAsStringAsync())}");
                else if ((int)response.StatusCode >= 400 && !(row.ProtocolOwnsErrors && (int)response.StatusCode != 401)
                         && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.AppendLine($"{row.Key} as {name}: {(int)response.StatusCode} is not a ProblemDetails ({response.Content.Headers.ContentType})");
            }

        Assert.True(failures.Length == 0, failures.ToString());
        Assert.Equal(MatrixRows.All.Count() * callers.Length, checkedCount);
    }

    /// <summary>"METHOD pattern" → whether the endpoint allows anonymous callers.</summary>
    private static Dictionary<string, bool> MappedEndpoints(AppFactory app)
    {
        var result = new Dictionary<string, bool>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? m : ["GET"];
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            foreach (var method in methods.Where(m => m != "HEAD"))
                result[$"{method} {endpoint.RoutePattern.RawText}"] = anonymous;
        }
        return result;
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] : text;
}
