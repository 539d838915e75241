using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EstateVoice.Server.Tests.Infrastructure.Deployment;

/// <summary>
/// Reads the files a user deploys with (Dockerfile, compose.yaml, deploy/, .env.example) and the README's
/// configuration table, from the repository this test build came from.
/// </summary>
internal static partial class DeploymentFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EstateVoice.slnx"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("EstateVoice.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every document of a YAML file, with merge keys (<c>&lt;&lt;: *app</c>, as compose.yaml uses) applied.</summary>
    public static IReadOnlyList<YamlMappingNode> LoadYaml(string relative)
    {
        using var reader = File.OpenText(PathOf(relative));
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(reader)));
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    public static YamlNode? Get(this YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node)) return null;
        }
        return node;
    }

    public static string? Scalar(this YamlNode? node, params string[] path) => (node.Get(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode? node, params string[] path) =>
        node.Get(path) as YamlSequenceNode ?? Enumerable.Empty<YamlNode>();

    public static IEnumerable<KeyValuePair<string, YamlNode>> Entries(this YamlNode? node, params string[] path) =>
        node.Get(path) is YamlMappingNode map
            ? map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, c.Value))
            : [];

    /// <summary>compose.yaml's services built from this repository's Dockerfile (the app nodes).</summary>
    public static IReadOnlyDictionary<string, YamlNode> ComposeAppServices() =>
        LoadYaml("compose.yaml").Single().Entries("services")
            .Where(s => s.Value.Get("build") is not null)
            .ToDictionary(s => s.Key, s => s.Value);

    /// <summary>A compose service's <c>environment</c>, as a mapping or as <c>NAME=value</c> items.</summary>
    public static IEnumerable<string> ComposeEnvironmentNames(YamlNode service) =>
        service.Get("environment") switch
        {
            YamlMappingNode map => map.Children.Keys.Select(k => ((YamlScalarNode)k).Value!),
            YamlSequenceNode list => list.Children.Select(i => ((YamlScalarNode)i).Value!.Split('=')[0]),
            _ => [],
        };

    public static IReadOnlyList<(string File, YamlMappingNode Document)> KubernetesManifests() =>
        Directory.EnumerateFiles(PathOf("deploy/k8s"), "*.yaml")
            .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => LoadYaml(f).Select(d => (f, d)))
            .ToList();

    /// <summary>The Dockerfile's instructions, continuation lines joined and comments dropped.</summary>
    public static IReadOnlyList<(string Instruction, string Arguments)> DockerfileInstructions()
    {
        var joined = Regex.Replace(
            string.Join('\n', File.ReadAllLines(PathOf("Dockerfile")).Where(l => !l.TrimStart().StartsWith('#'))),
            @"\\\s*\n", " ");
        return joined.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', 2))
            .Select(p => (p[0].ToUpperInvariant(), p.Length > 1 ? p[1].Trim() : ""))
            .ToList();
    }

    /// <summary><c>NAME=value</c> and <c>#NAME=value</c> lines (prose comments start with <c># </c>).</summary>
    public static IReadOnlyList<string> EnvExampleNames() =>
        File.ReadAllLines(PathOf(".env.example"))
            .Select(l => EnvExampleLine().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToList();

    /// <summary>The variables named in the first column of the README's "Configuration" table.</summary>
    public static IReadOnlyList<string> ReadmeConfigurationNames()
    {
        var lines = File.ReadAllLines(PathOf("README.md"));
        var start = Array.IndexOf(lines, "## Configuration");
        Assert.True(start >= 0, "README.md has no \"## Configuration\" section");
        return lines.Skip(start + 1)
            .TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(l => BacktickedName().Matches(l.Split('|')[1]).Select(m => m.Groups[1].Value))
            .ToList();
    }

    [GeneratedRegex(@"^#?([A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex EnvExampleLine();

    [GeneratedRegex(@"`([A-Za-z_][A-Za-z0-9_]*)`")]
    private static partial Regex BacktickedName();
}
