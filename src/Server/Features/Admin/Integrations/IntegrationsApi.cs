using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EstateVoice.Server.Features.Admin.Integrations;

/// <summary>Admin "Integrations" page: which outside services are set up, and a cheap live test of each.</summary>
public static class IntegrationsApi
{
    public static IServiceCollection AddAdminIntegrations(this IServiceCollection services)
    {
        services.AddScoped<IntegrationProbes>();
        services.AddHttpClient(IntegrationProbes.HttpClientName, http => http.Timeout = IntegrationProbes.Timeout);
        return services;
    }

    public static IEndpointRouteBuilder MapIntegrationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/integrations").WithTags("Admin").RequireAuthorization(Policies.Admin);

        group.MapGet("/", (IntegrationProbes probes) => TypedResults.Ok(new { items = probes.Statuses() }));

        group.MapPost("/{name}/test", async Task<Results<Ok<IntegrationTestResult>, ProblemHttpResult>> (
            string name, ClaimsPrincipal me, IntegrationProbes probes, CancellationToken ct) =>
        {
            var status = probes.Statuses().FirstOrDefault(s => s.Name == name);
            if (status is null) return Problems.NotFound("Integration");
            if (!status.Configured)
                return Problems.Conflict($"{status.Label} is not set up: set {string.Join(", ", status.EnvVars)}.");
            return TypedResults.Ok(await probes.TestAsync(name, me, ct));
        });

        return app;
    }
}
