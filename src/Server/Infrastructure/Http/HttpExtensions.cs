using System.Text.Json;
using System.Text.Json.Serialization;
using EstateVoice.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.Json;

namespace EstateVoice.Server.Infrastructure.Http;

public static class HttpExtensions
{
    /// <summary>snake_case JSON with snake_case enum strings, as the original API (access_token, page_size, in_progress).</summary>
    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.DictionaryKeyPolicy = null;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        json.Converters.Add(new NulCharacters.StringConverter());
    }

    public static IHostApplicationBuilder AddHttp(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions.TryAdd("trace_id", c.HttpContext.TraceIdentifier);
            if (c.ProblemDetails is HttpValidationProblemDetails validation)
            {
                ValidationErrorNames.ToSnakeCase(validation.Errors);
                PlainValidationMessages.Rewrite(validation.Errors);
                // A binding failure repeats its one field message as the detail: keep the two saying the same.
                if (validation.Errors.Count == 1 && validation.Errors.First() is { Value: [var only] } error
                    && validation.Detail?.StartsWith("Failed to bind", StringComparison.Ordinal) == true)
                    validation.Detail = only;
            }
        });
        // Unreadable bodies and parameters throw, so ProblemDetailsExceptionHandler can name the offending field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddValidation();
        services.AddAppRateLimiting(builder.Configuration);
        services.AddAppOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [Hosting.DrainHealthCheck.ReadyTag]);
        var trustedProxies = builder.Configuration[TrustedProxies.Variable];
        TrustedProxies.Parse(trustedProxies); // a bad entry stops startup here, not on the first request
        services.Configure<ForwardedHeadersOptions>(o => TrustedProxies.Configure(o, trustedProxies));
        return builder;
    }

    public static WebApplication UseHttp(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseSecurityHeaders();
        app.UseRateLimiter();
        return app;
    }
}
