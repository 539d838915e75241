using System.Reflection;
using System.Text.RegularExpressions;

namespace EstateVoice.Server.Tests.Infrastructure.Deployment;

/// <summary>
/// The settings the server reads, found in its source rather than listed by hand, so a deployment file that sets a
/// variable nobody reads (a typo, a renamed setting) fails a test. Two kinds:
/// <list type="bullet">
/// <item>flat names read from configuration or the environment: <c>configuration["DATABASE_URL"]</c>,
/// <c>Long(configuration, "ELEVENLABS_MAX_AUDIO_BYTES", ...)</c>, <c>builder.Configuration[TrustedProxies.Variable]</c>,
/// <c>Environment.GetEnvironmentVariable(Variable)</c> (constants resolved);</item>
/// <item>options sections (<c>BindConfiguration("Twilio")</c>, <c>GetSection(VoiceOptions.Section)</c>), whose
/// environment names are <c>Section__Property</c>: the property must exist on the options class bound to it.</item>
/// </list>
/// </summary>
internal sealed partial class ServerSettings
{
    private readonly HashSet<string> flatNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HashSet<Type>> sections = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlySet<string> FlatNames => flatNames;
    public IReadOnlyDictionary<string, HashSet<Type>> Sections => sections;

    public static ServerSettings Scan(string serverSourceDirectory)
    {
        var files = Directory.EnumerateFiles(serverSourceDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path: f, Text: File.ReadAllText(f)))
            .ToList();

        // String constants by declaring type and by file, so `TrustedProxies.Variable` and a bare `Variable` resolve.
        var constants = new Dictionary<(string Type, string Name), string>();
        var fileConstants = new Dictionary<string, Dictionary<string, string>>();
        foreach (var (path, text) in files)
        {
            var type = TypeDeclaration().Match(text) is { Success: true } t ? t.Groups[1].Value : "";
            var own = fileConstants[path] = [];
            foreach (Match c in StringConstant().Matches(text))
            {
                constants[(type, c.Groups["name"].Value)] = c.Groups["value"].Value;
                own[c.Groups["name"].Value] = c.Groups["value"].Value;
            }
        }

        string? Resolve(string path, string argument)
        {
            argument = argument.Trim();
            if (argument.Length >= 2 && argument[0] == '"' && argument[^1] == '"') return argument[1..^1];
            var parts = argument.Split('.');
            return parts.Length switch
            {
                1 => fileConstants[path].GetValueOrDefault(parts[0]),
                _ => constants.GetValueOrDefault((parts[^2], parts[^1])),
            };
        }

        var assemblyTypes = typeof(Program).Assembly.GetTypes();
        var settings = new ServerSettings();
        foreach (var (path, text) in files)
        {
            foreach (var regex in new[] { ConfigurationIndexer(), ConfigurationHelperArgument(), EnvironmentRead() })
            {
                foreach (Match m in regex.Matches(text))
                {
                    if (Resolve(path, m.Groups["arg"].Value) is { Length: > 0 } name) settings.flatNames.Add(name);
                }
            }
            foreach (Match m in SectionBinding().Matches(text))
            {
                if (Resolve(path, m.Groups["arg"].Value) is not { Length: > 0 } section) continue;
                var bound = settings.sections.TryGetValue(section, out var existing) ? existing : settings.sections[section] = [];
                bound.UnionWith(OptionsTypesFor(section, assemblyTypes));
            }
            foreach (Match m in TypedSectionBinding().Matches(text))
            {
                if (Resolve(path, m.Groups["arg"].Value) is not { Length: > 0 } section) continue;
                settings.sections[section].UnionWith(assemblyTypes.Where(t => t.Name == m.Groups["type"].Value));
            }
        }
        return settings;
    }

    /// <summary>A class declaring <c>const string Section</c>/<c>SectionName</c> equal to the section, or named after it.</summary>
    private static IEnumerable<Type> OptionsTypesFor(string section, Type[] types) =>
        types.Where(t => t.Name.Equals(section + "Options", StringComparison.OrdinalIgnoreCase)
            || new[] { "Section", "SectionName" }.Any(f =>
                t.GetField(f, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static) is { IsLiteral: true } field
                && section.Equals(field.GetRawConstantValue() as string, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Why the server would not read <paramref name="variable"/>, or null when it does.</summary>
    public string? WhyNotRead(string variable)
    {
        // A key read as "Section:Key" is set from the environment as Section__Key.
        if (flatNames.Contains(variable) || flatNames.Contains(variable.Replace("__", ":", StringComparison.Ordinal))) return null;
        var parts = variable.Split("__");
        if (parts.Length < 2) return $"{variable}: no code in src/Server reads this name";
        if (!sections.TryGetValue(parts[0], out var types))
            return $"{variable}: {parts[0]} is not an options section the server binds";
        if (types.Count == 0) return $"{variable}: no options class found for section {parts[0]}";
        var property = parts[1];
        return types.Any(t => t.GetProperty(property, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is { CanWrite: true })
            ? null
            : $"{variable}: {string.Join("/", types.Select(t => t.Name))} has no settable property {property}";
    }

    [GeneratedRegex(@"\b(?:class|struct|record)\s+(\w+)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\bconst\s+string\s+(?<name>\w+)\s*=\s*""(?<value>[^""]*)""")]
    private static partial Regex StringConstant();

    /// <summary><c>configuration["X"]</c>, <c>config[X]</c>, <c>builder.Configuration[Type.X]</c>.</summary>
    [GeneratedRegex(@"\b[Cc]onfig(?:uration)?\s*\[\s*(?<arg>""[^""]+""|[\w.]+)\s*\]")]
    private static partial Regex ConfigurationIndexer();

    /// <summary>A helper handed the configuration and a key: <c>Long(configuration, "X", ...)</c>.</summary>
    [GeneratedRegex(@"\(\s*[Cc]onfig(?:uration)?\s*,\s*(?<arg>""[^""]+"")")]
    private static partial Regex ConfigurationHelperArgument();

    [GeneratedRegex(@"GetEnvironmentVariable\(\s*(?<arg>""[^""]+""|[\w.]+)\s*\)")]
    private static partial Regex EnvironmentRead();

    [GeneratedRegex(@"(?:BindConfiguration|GetSection)\(\s*(?<arg>""[^""]+""|[\w.]+)\s*\)")]
    private static partial Regex SectionBinding();

    /// <summary><c>AddOptions&lt;T&gt;()...BindConfiguration(...)</c> / <c>Configure&lt;T&gt;(...GetSection(...))</c> in one statement.</summary>
    [GeneratedRegex(@"(?:AddOptions|Configure)<(?<type>\w+)>\([^;]*?(?:BindConfiguration|GetSection)\(\s*(?<arg>""[^""]+""|[\w.]+)\s*\)")]
    private static partial Regex TypedSectionBinding();
}
