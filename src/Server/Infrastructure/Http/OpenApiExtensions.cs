using Microsoft.OpenApi;

namespace EstateVoice.Server.Infrastructure.Http;

public static class OpenApiExtensions
{
    public static IServiceCollection AddAppOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo { Title = "Estate Voice API", Version = "v1" };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "The access_token from POST /auth/login.",
            };
            return Task.CompletedTask;
        }).AddSchemaTransformer((schema, context, _) =>
        {
            // Strings are read by a converter of our own (NulCharacters.StringConverter), and the schema exporter
            // describes a custom converter's values as "anything": say they are strings, nullable as declared.
            if (context.JsonTypeInfo.Type == typeof(string) && schema.Type is null)
                schema.Type = context.JsonPropertyInfo is { IsGetNullable: true } or { IsSetNullable: true }
                    ? JsonSchemaType.String | JsonSchemaType.Null
                    : JsonSchemaType.String;
            if (context.JsonTypeInfo.ElementType == typeof(string) && schema.Items is null or { Type: null })
                schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
            return Task.CompletedTask;
        }));
}
