using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Primitives;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>
/// U+0000 is refused in every string the API reads: PostgreSQL text cannot hold it (the query fails with 22021, a
/// 500), and a value one of our databases cannot store is not valid input on the other either. JSON bodies are
/// checked as they are read (<see cref="StringConverter"/>, the field named by its JSON path); query strings and
/// route values by <see cref="UseNulCharacterCheck"/>. Both answer 400 naming the field. Form bodies are read only
/// by the Twilio webhooks, with their own size caps (TwilioSignatureFilter); the form reader itself refuses a NUL it
/// decodes (InvalidDataException, answered 400 there).
/// </summary>
public static class NulCharacters
{
    public const string Message = "must not contain NUL (U+0000) characters.";

    /// <summary>
    /// Runs after authorization, so a caller who may not use the endpoint still gets 401/403 first; the JSON body is
    /// checked later, while it is bound.
    /// </summary>
    public static IApplicationBuilder UseNulCharacterCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var field = FirstWithNul(context.Request.Query)
                    ?? context.Request.RouteValues.FirstOrDefault(v => v.Value is string s && s.Contains('\0')).Key;
        if (field is null)
        {
            await next(context);
            return;
        }
        await Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"{field} {Message}"] }).ExecuteAsync(context);
    });

    private static string? FirstWithNul(IEnumerable<KeyValuePair<string, StringValues>> values) =>
        values.FirstOrDefault(v => v.Value.Any(s => s?.Contains('\0') == true)).Key;

    /// <summary>
    /// Reads JSON strings as the built-in converter does, refusing NUL. The exception carries the JSON path
    /// (<c>$.name</c>, <c>$.features[1]</c>), which ProblemDetailsExceptionHandler turns into the field name.
    /// </summary>
    public sealed class StringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return value is not null && value.Contains('\0') ? throw new InvalidJsonValueException(Message) : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}

/// <summary>A JSON value that was read but is not acceptable; <see cref="Exception.Message"/> is safe to show the client.</summary>
public sealed class InvalidJsonValueException(string message) : JsonException(message);
