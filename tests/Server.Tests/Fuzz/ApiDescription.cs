using System.Text.Json;

namespace EstateVoice.Server.Tests.Fuzz;

public sealed record ApiParameter(string Name, string In, JsonElement Schema);

/// <summary>One operation of the OpenAPI document: method, path template, path/query parameters, JSON body schema.</summary>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, JsonElement? Body)
{
    public override string ToString() => $"{Method} {Path}";

    /// <summary>Deletes and deactivations go last, so the records the other operations use are still there.</summary>
    public bool Destroys => Method == "DELETE" || Path.EndsWith("/deactivate", StringComparison.Ordinal);
}

/// <summary>
/// Reads <c>/openapi/v1.json</c> as the fuzzer needs it: every operation, and each schema reduced to what a value
/// generator wants to know (its JSON type, enum values, format, bounds), with <c>$ref</c> and nullable
/// <c>oneOf</c> wrappers resolved.
/// </summary>
public sealed class ApiDescription(JsonElement document)
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public IReadOnlyList<ApiOperation> Operations()
    {
        var operations = new List<ApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().Select(p => new ApiParameter(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!,
                        p.TryGetProperty("schema", out var s) ? Resolve(s) : default)).ToList()
                    : [];
                JsonElement? body = operation.Value.TryGetProperty("requestBody", out var request)
                                    && request.GetProperty("content").TryGetProperty("application/json", out var json)
                    ? Resolve(json.GetProperty("schema"))
                    : null;
                operations.Add(new ApiOperation(operation.Name.ToUpperInvariant(), path.Name, parameters, body));
            }
        return operations.OrderBy(o => o.Destroys).ToList();
    }

    /// <summary>Follows <c>$ref</c> and unwraps <c>oneOf: [{type: null}, X]</c> to X.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object) return schema;
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return Resolve(document.GetProperty("components").GetProperty("schemas").GetProperty(name));
        }
        if (schema.TryGetProperty("oneOf", out var choices))
        {
            var real = choices.EnumerateArray().Where(c => TypeOf(c) != "null").ToList();
            if (real.Count > 0) return Resolve(real[0]);
        }
        return schema;
    }

    /// <summary>The schema's main JSON type: "integer" for ["null", "integer", "string"] (how ASP.NET describes an int?).</summary>
    public static string TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object) return "any";
        if (schema.TryGetProperty("enum", out _)) return "enum";
        if (!schema.TryGetProperty("type", out var type)) return schema.TryGetProperty("properties", out _) ? "object" : "any";
        if (type.ValueKind == JsonValueKind.String) return type.GetString()!;
        var types = type.EnumerateArray().Select(t => t.GetString()!).Where(t => t != "null").ToList();
        return types.FirstOrDefault(t => t != "string") ?? types.FirstOrDefault() ?? "null";
    }

    public static IEnumerable<string> EnumValues(JsonElement schema) =>
        schema.TryGetProperty("enum", out var values) ? values.EnumerateArray().Select(v => v.ToString()) : [];

    public static string? Format(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var format) ? format.GetString() : null;

    public static decimal? Number(JsonElement schema, string name) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDecimal()
            : null;

    public static string? Pattern(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("pattern", out var pattern) ? pattern.GetString() : null;

    public IEnumerable<(string Name, JsonElement Schema)> Properties(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties)
            ? properties.EnumerateObject().Select(p => (p.Name, Resolve(p.Value)))
            : [];

    public JsonElement Items(JsonElement schema) =>
        schema.TryGetProperty("items", out var items) ? Resolve(items) : default;
}
