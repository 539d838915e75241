using System.Text.Json;

namespace EstateVoice.Server.Tests.Fuzz;

/// <summary>
/// The bad values the fuzzer tries, as raw JSON (for body fields) or as already-encoded query/path text: wrong types,
/// missing values, boundary numbers (0, -1, 2^31, 1e20, past decimal), NUL, 10,000 characters, impossible dates,
/// unknown enum names, broken Unicode.
/// </summary>
public static class Mutations
{
    public static readonly string Long = new('x', 10_000);

    private static string Json(string text) => JsonSerializer.Serialize(text);

    /// <summary>Tried on every body field, whatever its type.</summary>
    private static readonly string[] Any =
    [
        "null", "true", "{}", "[]", Json("a\0b"), Json("\0"), Json(Long), Json("zzz_unknown"), Json(""), "\"\\ud800\"",
    ];

    private static readonly string[] Numbers =
    [
        "0", "-1", "2147483647", "2147483648", "-2147483649", "1e20", "-1e20", "99999999999999999999", "1.5", "1e308", "1e-30", "\"1\"",
    ];

    private static readonly string[] Texts =
    [
        "42", Json("   "), Json("2026-02-30"), Json("9999-12-31T23:59:59-14:00"), Json("0001-01-01T00:00:00+14:00"),
        Json("9999-12-31"), Json("0000-00-00T00:00:00Z"), Json("<script>alert(1)</script>'; DROP TABLE users; --"),
    ];

    private static readonly string[] Booleans = ["1", Json("yes")];

    private static readonly string[] Arrays = [$"[{Json("a\0")}]", $"[{Json(Long)}]", "[1]", "[[]]", "[null]", "[" + string.Join(',', Enumerable.Repeat("\"x\"", 1000)) + "]"];

    /// <summary>Raw JSON values to put in a body field described by <paramref name="schema"/>.</summary>
    public static IEnumerable<string> ForField(JsonElement schema)
    {
        var type = ApiDescription.TypeOf(schema);
        IEnumerable<string> specific = type switch
        {
            "integer" or "number" => Numbers,
            "string" => Texts,
            "boolean" => Booleans,
            "array" => Arrays,
            "enum" => ApiDescription.EnumValues(schema).Take(1)
                .SelectMany(v => new[] { Json(v.ToUpperInvariant()), Json(v + "\0"), Json(" " + v), "3" }),
            _ => Numbers.Take(3).Concat(Texts.Take(3)),
        };
        return Any.Concat(specific).Distinct();
    }

    /// <summary>Whole bodies that are not the object the operation wants.</summary>
    public static readonly string[] Bodies =
    [
        "", "null", "[]", "\"text\"", "42", "{", "{\"a\":", "{}", "{\"\\u0000\": 1}", new string('[', 5000) + new string(']', 5000),
        "{\"a\":" + Json(new string('y', 200_000)) + "}",
    ];

    /// <summary>Query-string values, already URL-encoded (so NUL and invalid UTF-8 arrive as the bytes they are).</summary>
    public static readonly string[] Encoded =
    [
        "", "abc", "0", "-1", "2147483647", "2147483648", "-2147483649", "1e20", "99999999999999999999", "1.5", "NaN", "true",
        "a%00b", "%00", "%ff%fe", "%C0%80", Uri.EscapeDataString(Long), "9999-12-31", "0001-01-01", "2026-02-30",
        Uri.EscapeDataString("9999-12-31T23:59:59-14:00"), Uri.EscapeDataString("0001-01-01T00:00:00+14:00"), "zzz_unknown",
        "-", "%25", Uri.EscapeDataString("' OR 1=1 --"),
    ];

    /// <summary>
    /// Path values: the same, less NUL. Kestrel refuses a request line whose path decodes to NUL with its own 400
    /// before the app runs (the in-memory test server throws on the client side instead), so the app never sees one.
    /// </summary>
    public static readonly string[] EncodedPath = Encoded.Where(v => !v.Contains("%00", StringComparison.Ordinal)).ToArray();

    /// <summary>A valid text value with NUL in the middle: past format checks (an email stays an email), into the query.</summary>
    public static string WithNul(string valid) => valid.Length < 2 ? valid + "\0" : valid[..(valid.Length / 2)] + "\0" + valid[(valid.Length / 2)..];
}
