using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Tests.Features.Crm;

namespace EstateVoice.Server.Tests.Authorization;

/// <summary>Whose record the request reaches: the calling Agent's own, or another agent's.</summary>
public enum Whose { Own, Other }

/// <summary>The status each caller gets. Admins and Managers are sent to another agent's record.</summary>
public sealed record Expect(int Admin, int Manager, int AgentOwn, int AgentOther, int Anonymous = 401)
{
    /// <summary>Readable by everyone signed in (e.g. lists: scoping shows in their content, not their status).</summary>
    public static Expect Everyone(int status) => new(status, status, status, status);
    /// <summary>Agents reach only their own record; another agent's answers 404 (existence is not revealed).</summary>
    public static Expect Owned(int status) => new(status, status, status, 404);
    public static Expect ManagerOrAdmin(int status) => new(status, status, 403, 403);
    public static Expect AdminOnly(int status) => new(status, 403, 403, 403);
}

public sealed record MatrixRequest(HttpMethod Method, string Path, object? Body = null);

/// <summary>
/// One endpoint in the authorization matrix. <see cref="Route"/> is the route pattern exactly as ASP.NET Core
/// reports it (<c>RoutePattern.RawText</c>, e.g. <c>/leads/{id:int}</c>). <see cref="Request"/> builds the request
/// for one caller; it runs once per caller, so a destructive request should create the record it destroys.
/// <see cref="ProtocolOwnsErrors"/> marks endpoints whose error bodies another protocol defines (SignalR's
/// "Connection ID required"), so they are not held to the ProblemDetails rule.
/// </summary>
public sealed record MatrixRow(string Method, string Route, Func<MatrixContext, Task<MatrixRequest>> Request, Expect Expect, bool ProtocolOwnsErrors = false)
{
    public string Key => $"{Method} {Route}";
    public override string ToString() => Key;
}

/// <summary>What a row's request builder can use: the world, and the owner of the record to reach.</summary>
public sealed class MatrixContext(CrmWorld world, Whose whose)
{
    public CrmWorld World { get; } = world;
    public Whose Whose { get; } = whose;
    /// <summary>The agent who owns the record this request reaches (AgentA is the calling agent).</summary>
    public User Owner => Whose == Whose.Own ? World.AgentA : World.AgentB;

    public async Task<int> OwnedLeadAsync() => (await World.NewLeadAsync(Owner)).Id;
    public async Task<int> OwnedCallAsync() => (await World.NewCallAsync(await World.NewLeadAsync(Owner), Owner)).Id;
    public async Task<int> OwnedShowingAsync() =>
        (await World.NewShowingAsync(await World.NewLeadAsync(Owner), await World.NewPropertyAsync(), Owner)).Id;
    public async Task<int> PropertyAsync() => (await World.NewPropertyAsync()).Id;
    public async Task<int> UserAsync(UserRole role = UserRole.Agent) => (await World.App.CreateUserAsync(role)).Id;

    public static MatrixRequest Get(string path) => new(HttpMethod.Get, path);
    public static MatrixRequest Post(string path, object? body = null) => new(HttpMethod.Post, path, body ?? new { });
    public static MatrixRequest Put(string path, object body) => new(HttpMethod.Put, path, body);
    public static MatrixRequest Patch(string path, object body) => new(HttpMethod.Patch, path, body);
    public static MatrixRequest Delete(string path) => new(HttpMethod.Delete, path);
}
