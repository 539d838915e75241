using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EstateVoice.Server.Tests.Fuzz;

/// <summary>One request the fuzzer sends. <see cref="Body"/> is raw text (it may be invalid JSON on purpose).</summary>
public sealed record FuzzRequest(string Method, string Url, string? Body, string ContentType = "application/json")
{
    // The bad value is the last member of a body, so a long body shows its start and its end.
    public override string ToString() =>
        $"{Method} {Shorten(Url, 160)}{(Body is null ? "" : $" [{ContentType}] {Shorten(Body, 240)}")}";

    private static string Shorten(string text, int max) =>
        (text.Length > max ? $"{text[..(max / 3)]}…({text.Length} chars)…{text[^(max * 2 / 3)..]}" : text).Replace("\0", "\\0");
}

/// <summary>What a valid request needs that the description cannot say: ids of records the caller can see, and "now".</summary>
public sealed record FuzzContext((string Email, string Password) Login, Func<string, int> PathId, Func<string, int> FieldId, DateTimeOffset Now);

/// <summary>
/// Turns one operation into requests: first a valid one (built from the schema), then one bad value at a time in
/// each path parameter, query parameter and body field, each required field left out, an unknown field added,
/// whole bodies of the wrong shape, and the valid body under the wrong content types.
/// </summary>
public sealed class FuzzCases(ApiDescription api, FuzzContext context)
{
    private int unique;

    public IEnumerable<FuzzRequest> For(ApiOperation operation)
    {
        var pathValues = operation.Parameters.Where(p => p.In == "path")
            .ToDictionary(p => p.Name, _ => context.PathId(operation.Path).ToString(CultureInfo.InvariantCulture));
        var query = operation.Parameters.Where(p => p.In == "query").ToList();
        var validBody = operation.Body is null ? null : ValidBody(operation).ToJsonString();

        yield return new(operation.Method, Url(operation.Path, pathValues, null), validBody);

        foreach (var name in pathValues.Keys)
            foreach (var bad in Mutations.EncodedPath)
                yield return new(operation.Method, Url(operation.Path, new Dictionary<string, string>(pathValues) { [name] = bad }, null), validBody);

        foreach (var parameter in query)
        {
            foreach (var bad in Mutations.Encoded.Append(Uri.EscapeDataString(Mutations.WithNul(PlausibleQueryValue(parameter)))))
                yield return new(operation.Method, Url(operation.Path, pathValues, $"{parameter.Name}={bad}"), validBody);
            yield return new(operation.Method, Url(operation.Path, pathValues, $"{parameter.Name}=1&{parameter.Name}=2"), validBody);
        }
        if (query.Count > 0)
        {
            // Every parameter at once, each with a plausible value: filters combined the way the web app sends them.
            var all = string.Join('&', query.Select(p => $"{p.Name}={Uri.EscapeDataString(PlausibleQueryValue(p))}"));
            yield return new(operation.Method, Url(operation.Path, pathValues, all), validBody);
        }

        if (operation.Body is not { } bodySchema) yield break;
        var url = Url(operation.Path, pathValues, null);
        foreach (var (field, fieldSchema) in api.Properties(bodySchema))
        {
            var nulInValid = ValidValue(fieldSchema, field) is JsonValue value && value.TryGetValue<string>(out var text)
                ? JsonSerializer.Serialize(Mutations.WithNul(text))
                : null;
            foreach (var bad in Mutations.ForField(fieldSchema).Append(nulInValid).OfType<string>())
                yield return new(operation.Method, url, Replace(ValidBody(operation), field, bad));
            yield return new(operation.Method, url, Without(ValidBody(operation), field));
        }
        yield return new(operation.Method, url, Replace(ValidBody(operation), "unexpected_field", "{\"nested\": [1, \"\\u0000\"]}"));
        foreach (var body in Mutations.Bodies)
            yield return new(operation.Method, url, body);
        yield return new(operation.Method, url, validBody, "text/plain");
        yield return new(operation.Method, url, "a=1&b=%00", "application/x-www-form-urlencoded");
    }

    /// <summary>The operation's body with valid values; logging in needs an account that exists.</summary>
    private JsonObject ValidBody(ApiOperation operation)
    {
        var body = ValidValue(operation.Body!.Value, "body")!.AsObject();
        if (operation.Path == "/auth/login") (body["email"], body["password"]) = (context.Login.Email, context.Login.Password);
        return body;
    }

    /// <summary>A value the schema accepts; ids, emails, phones and times chosen so the request can succeed.</summary>
    public JsonNode? ValidValue(JsonElement schema, string name)
    {
        schema = api.Resolve(schema);
        switch (ApiDescription.TypeOf(schema))
        {
            case "enum":
                return JsonValue.Create(ApiDescription.EnumValues(schema).First());
            case "object":
                var body = new JsonObject();
                foreach (var (field, fieldSchema) in api.Properties(schema)) body[field] = ValidValue(fieldSchema, field);
                return body;
            case "array":
                return new JsonArray(ValidValue(api.Items(schema), name.TrimEnd('s')));
            case "boolean":
                return JsonValue.Create(true);
            case "integer":
                if (name.EndsWith("id", StringComparison.Ordinal)) return JsonValue.Create(context.FieldId(name));
                return JsonValue.Create((int)Math.Clamp(1, ApiDescription.Number(schema, "minimum") ?? 0, ApiDescription.Number(schema, "maximum") ?? int.MaxValue));
            case "number":
                // Money fields have large maxima, counts such as bathrooms small ones.
                var max = ApiDescription.Number(schema, "maximum") ?? decimal.MaxValue;
                return JsonValue.Create(Math.Clamp(max > 1000 ? 250_000m : 2.5m, ApiDescription.Number(schema, "minimum") ?? 0, max));
            case "string":
                return JsonValue.Create(ValidText(schema, name));
            default:
                return null;
        }
    }

    private string ValidText(JsonElement schema, string name)
    {
        var n = Interlocked.Increment(ref unique);
        if (ApiDescription.Format(schema) == "date-time") return context.Now.AddDays(2).AddMinutes(n % 2000 * 90).ToString("O", CultureInfo.InvariantCulture);
        if (ApiDescription.Pattern(schema)?.StartsWith("^\\+", StringComparison.Ordinal) == true) return $"+1512555{n % 10_000:0000}";
        return name switch
        {
            "email" => $"fuzz{n}@example.com",
            "password" => "long-enough-password-1",
            "time_zone" => "America/Chicago",
            "zip" => "78701",
            "state" => "TX",
            "city" => "Austin",
            _ => $"Fuzz {name} {n}",
        };
    }

    private static string PlausibleQueryValue(ApiParameter parameter) => parameter.Name switch
    {
        "from" => "2026-11-01",
        "to" => "2026-11-30",
        "sort" => "-created_at",
        "page" => "1",
        "page_size" => "5",
        _ => ApiDescription.TypeOf(parameter.Schema) switch
        {
            "integer" or "number" => "1",
            "boolean" => "true",
            _ => "a",
        },
    };

    private static string Url(string template, IReadOnlyDictionary<string, string> pathValues, string? query)
    {
        var path = pathValues.Aggregate(template, (p, v) => p.Replace("{" + v.Key + "}", v.Value, StringComparison.Ordinal));
        return query is null ? path : $"{path}?{query}";
    }

    private static string Replace(JsonObject body, string field, string rawValue)
    {
        body.Remove(field);
        var json = body.ToJsonString();
        return json.TrimEnd('}') + (body.Count > 0 ? "," : "") + $"{JsonSerializer.Serialize(field)}:{rawValue}}}";
    }

    private static string Without(JsonObject body, string field)
    {
        body.Remove(field);
        return body.ToJsonString();
    }
}
