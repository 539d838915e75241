using System.Text.RegularExpressions;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;

namespace EstateVoice.Server.Tests.Infrastructure.Deployment;

/// <summary>
/// No container engine runs where the tests do, so the image, compose.yaml and the Kubernetes manifests are checked
/// by reading them: every variable they set is one the server reads (found in its source, <see cref="ServerSettings"/>),
/// every path the Dockerfile copies exists, every probe is a route the server maps, and the drain fits in the grace
/// periods.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private const int DrainDefaultSeconds = 600; // Drain:TimeoutSeconds' default (the drain contract)

    private static readonly Lazy<ServerSettings> Settings = new(() => ServerSettings.Scan(DeploymentFiles.PathOf("src/Server")));

    private static string? WhyNotRead(string variable) => Settings.Value.WhyNotRead(variable);

    private static void AssertAllRead(IEnumerable<(string Where, string Variable)> set)
    {
        var problems = set.Select(s => WhyNotRead(s.Variable) is { } why ? $"{s.Where}: {why}" : null).OfType<string>().ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_source_scan_finds_flat_names_and_section_properties()
    {
        // Guards the scanner itself: names read in each of the ways the server reads them, and one it does not.
        Assert.Null(Settings.Value.WhyNotRead("DATABASE_URL"));                 // configuration["..."]
        Assert.Null(Settings.Value.WhyNotRead("ELEVENLABS_MAX_AUDIO_BYTES"));   // Long(configuration, "...")
        Assert.Null(Settings.Value.WhyNotRead("TRUSTED_PROXIES"));              // configuration[TrustedProxies.Variable]
        Assert.Null(Settings.Value.WhyNotRead("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT")); // GetEnvironmentVariable(const)
        Assert.Null(Settings.Value.WhyNotRead("CallLeases__NodeId"));           // GetSection(CallLeaseOptions.Section)
        Assert.Null(Settings.Value.WhyNotRead("Twilio__TransferSettleTimeout")); // BindConfiguration("Twilio")
        Assert.NotNull(Settings.Value.WhyNotRead("DATABASE_URI"));
        Assert.NotNull(Settings.Value.WhyNotRead("CallLeases__NoSuchSetting"));
        Assert.NotNull(Settings.Value.WhyNotRead("NoSuchSection__TimeoutSeconds"));
    }

    [Fact]
    public void Compose_sets_only_variables_the_server_reads()
    {
        var apps = DeploymentFiles.ComposeAppServices();
        Assert.Equal(["app1", "app2"], apps.Keys.Order(StringComparer.Ordinal));
        AssertAllRead(apps.SelectMany(a => DeploymentFiles.ComposeEnvironmentNames(a.Value).Select(n => ($"compose.yaml {a.Key}", n))));
        // The proxy's site address is the server's own setting too, so both agree on the public URL.
        var proxy = DeploymentFiles.LoadYaml("compose.yaml").Single().Get("services", "proxy");
        AssertAllRead(DeploymentFiles.ComposeEnvironmentNames(proxy!).Select(n => ("compose.yaml proxy", n)));
        Assert.True(File.Exists(DeploymentFiles.PathOf("deploy/compose/Caddyfile")));
    }

    [Fact]
    public void Kubernetes_manifests_set_only_variables_the_server_reads()
    {
        var manifests = DeploymentFiles.KubernetesManifests();
        var container = AppContainer(manifests);
        var set = container.Items("env").Select(e => ("deployment env", e.Scalar("name")!)).ToList();
        foreach (var source in container.Items("envFrom"))
        {
            var (kind, name) = source.Get("configMapRef") is { } cm ? ("ConfigMap", cm.Scalar("name")) : ("Secret", source.Scalar("secretRef", "name"));
            var (file, document) = Assert.Single(manifests, m => m.Document.Scalar("kind") == kind && m.Document.Scalar("metadata", "name") == name);
            var keys = document.Entries("data").Concat(document.Entries("stringData")).Select(e => e.Key).ToList();
            Assert.NotEmpty(keys);
            set.AddRange(keys.Select(k => ($"{file} ({kind} {name})", k)));
        }
        AssertAllRead(set);
    }

    [Fact]
    public void Env_example_lists_only_variables_the_server_reads_and_the_same_ones_as_the_readme()
    {
        var example = DeploymentFiles.EnvExampleNames();
        Assert.Equal(example.Count, example.Distinct(StringComparer.Ordinal).Count());
        AssertAllRead(example.Select(n => (".env.example", n)));

        var readme = DeploymentFiles.ReadmeConfigurationNames();
        Assert.Contains("DATABASE_URL", readme);
        Assert.Equal(
            readme.Order(StringComparer.Ordinal),
            example.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dockerfile_copies_paths_that_exist_to_where_the_server_finds_them()
    {
        var instructions = DeploymentFiles.DockerfileInstructions();
        var copies = instructions.Where(i => i.Instruction == "COPY" && !i.Arguments.StartsWith("--from=", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(copies);
        foreach (var (_, arguments) in copies)
        {
            var sources = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).SkipLast(1);
            foreach (var source in sources)
            {
                var path = DeploymentFiles.PathOf(source);
                Assert.True(File.Exists(path) || Directory.Exists(path), $"Dockerfile copies {source}, which does not exist");
            }
        }

        // The built web app lands under the runtime stage's WORKDIR where WebAppHosting looks for it.
        var runtime = instructions.SkipWhile(i => !(i.Instruction == "FROM" && i.Arguments.EndsWith(" AS runtime", StringComparison.OrdinalIgnoreCase))).ToList();
        var workdir = runtime.Last(i => i.Instruction == "WORKDIR").Arguments;
        var webCopy = runtime.Single(i => i.Instruction == "COPY" && i.Arguments.Contains("dist", StringComparison.Ordinal)).Arguments.Split(' ')[^1];
        var image = Directory.CreateTempSubdirectory("ev-image-");
        try
        {
            var contentRoot = Path.Combine(image.FullName, workdir.TrimStart('/'));
            var dist = Path.GetFullPath(Path.Combine(contentRoot, webCopy));
            Directory.CreateDirectory(dist);
            File.WriteAllText(Path.Combine(dist, "index.html"), "<!doctype html>");
            Assert.Equal(dist.TrimEnd(Path.DirectorySeparatorChar), WebAppHosting.ResolveDistDirectory(null, contentRoot));
        }
        finally
        {
            image.Delete(recursive: true);
        }

        var env = runtime.Where(i => i.Instruction == "ENV")
            .SelectMany(i => DockerEnvName().Matches(i.Arguments).Select(m => ("Dockerfile ENV", m.Groups[1].Value)))
            .ToList();
        Assert.Contains(env, e => e.Item2 == "PORT");
        AssertAllRead(env);
    }

    [Fact]
    public async Task Probes_and_health_checks_point_at_routes_the_server_maps()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText?.TrimStart('/'))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Contains("/health", routes);

        var probes = new List<(string Where, string Path)>();
        var container = AppContainer(DeploymentFiles.KubernetesManifests());
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
        {
            probes.Add(($"deployment {probe}", container.Scalar(probe, "httpGet", "path")!));
        }
        Assert.Equal("/health/ready", container.Scalar("readinessProbe", "httpGet", "path"));
        Assert.Equal("/health/live", container.Scalar("livenessProbe", "httpGet", "path"));

        var healthcheck = DeploymentFiles.DockerfileInstructions().Single(i => i.Instruction == "HEALTHCHECK").Arguments;
        probes.Add(("Dockerfile HEALTHCHECK", UrlPath().Match(healthcheck).Groups[1].Value));
        var caddy = File.ReadAllText(DeploymentFiles.PathOf("deploy/compose/Caddyfile"));
        probes.Add(("Caddyfile health_uri", CaddyHealthUri().Match(caddy).Groups[1].Value));

        var unmapped = probes.Where(p => !routes.Contains(p.Path)).Select(p => $"{p.Where}: {p.Path}").ToList();
        Assert.True(unmapped.Count == 0, "not mapped by the server: " + string.Join(", ", unmapped));
    }

    [Fact]
    public void Grace_periods_outlast_the_drain()
    {
        var manifests = DeploymentFiles.KubernetesManifests();
        var config = manifests.Single(m => m.Document.Scalar("kind") == "ConfigMap").Document;
        var drain = int.Parse(config.Scalar("data", "Drain__TimeoutSeconds") ?? DrainDefaultSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
        var pod = Deployment(manifests).Get("spec", "template", "spec");
        var grace = int.Parse(pod.Scalar("terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture);
        var preStop = AppContainer(manifests).Items("lifecycle", "preStop", "exec", "command").Select(c => ((YamlScalarNode)c).Value).ToList();
        Assert.Equal("sleep", preStop[0]);
        var preStopSeconds = int.Parse(preStop[1]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(grace > preStopSeconds + drain, $"terminationGracePeriodSeconds {grace} <= preStop {preStopSeconds} + drain {drain}");

        foreach (var (name, service) in DeploymentFiles.ComposeAppServices())
        {
            var stop = service.Scalar("stop_grace_period")!;
            Assert.EndsWith("s", stop);
            Assert.True(int.Parse(stop[..^1], System.Globalization.CultureInfo.InvariantCulture) > DrainDefaultSeconds, $"{name} stop_grace_period {stop}");
        }
    }

    [Fact]
    public void Kubernetes_objects_refer_to_each_other()
    {
        var manifests = DeploymentFiles.KubernetesManifests();
        var kustomization = manifests.Single(m => m.Document.Scalar("kind") == "Kustomization").Document;
        foreach (var resource in kustomization.Items("resources").Select(r => ((YamlScalarNode)r).Value!))
        {
            Assert.True(File.Exists(DeploymentFiles.PathOf("deploy/k8s/" + resource)), $"kustomization lists {resource}");
        }

        var deployment = Deployment(manifests);
        var name = deployment.Scalar("metadata", "name");
        var podLabels = deployment.Entries("spec", "template", "metadata", "labels").ToDictionary(e => e.Key, e => ((YamlScalarNode)e.Value).Value);
        var ports = AppContainer(manifests).Items("ports").Select(p => p.Scalar("name")).ToList();
        Assert.Equal("8000", AppContainer(manifests).Items("ports").Single().Scalar("containerPort"));

        var service = manifests.Single(m => m.Document.Scalar("kind") == "Service").Document;
        Assert.All(service.Entries("spec", "selector"), s => Assert.Equal(podLabels[s.Key], ((YamlScalarNode)s.Value).Value));
        Assert.All(service.Items("spec", "ports"), p => Assert.Contains(p.Scalar("targetPort"), ports));

        var ingress = manifests.Single(m => m.Document.Scalar("kind") == "Ingress").Document;
        var backend = ingress.Items("spec", "rules").Single().Items("http", "paths").Single().Get("backend", "service");
        Assert.Equal(service.Scalar("metadata", "name"), backend.Scalar("name"));
        Assert.NotNull(ingress.Scalar("metadata", "annotations", "nginx.ingress.kubernetes.io/proxy-read-timeout"));

        var hpa = manifests.Single(m => m.Document.Scalar("kind") == "HorizontalPodAutoscaler").Document;
        Assert.Equal(name, hpa.Scalar("spec", "scaleTargetRef", "name"));
        var metric = hpa.Items("spec", "metrics").Single();
        Assert.Equal("Pods", metric.Scalar("type"));
        Assert.Equal("voice_calls_active", metric.Scalar("pods", "metric", "name"));

        var pdb = manifests.Single(m => m.Document.Scalar("kind") == "PodDisruptionBudget").Document;
        Assert.All(pdb.Entries("spec", "selector", "matchLabels"), s => Assert.Equal(podLabels[s.Key], ((YamlScalarNode)s.Value).Value));
    }

    [Fact]
    public void The_workflow_runs_the_tests_and_names_every_secret_it_uses()
    {
        var workflow = DeploymentFiles.LoadYaml(".github/workflows/ci.yml").Single();
        var steps = workflow.Entries("jobs").SelectMany(j => j.Value.Items("steps")).ToList();
        Assert.Contains(steps, s => s.Scalar("run") == "bash .ci/run");
        Assert.True(File.Exists(DeploymentFiles.PathOf(".ci/run")));

        // A secret the workflow needs is explained in its header and in the deployment guide.
        var text = File.ReadAllText(DeploymentFiles.PathOf(".github/workflows/ci.yml"));
        var header = string.Join('\n', text.Split('\n').TakeWhile(l => l.StartsWith('#')));
        var guide = File.ReadAllText(DeploymentFiles.PathOf("docs/deployment.md"));
        var secrets = WorkflowSecret().Matches(text).Select(m => m.Groups[1].Value).Where(n => n != "GITHUB_TOKEN").Distinct().ToList();
        Assert.Contains("AZURE_CREDENTIALS", secrets);
        Assert.All(secrets, name =>
        {
            Assert.Contains(name, header, StringComparison.Ordinal);
            Assert.Contains(name, guide, StringComparison.Ordinal);
        });
    }

    private static YamlMappingNode Deployment(IReadOnlyList<(string File, YamlMappingNode Document)> manifests) =>
        manifests.Single(m => m.Document.Scalar("kind") == "Deployment").Document;

    private static YamlNode AppContainer(IReadOnlyList<(string File, YamlMappingNode Document)> manifests) =>
        Deployment(manifests).Items("spec", "template", "spec", "containers").Single();

    [GeneratedRegex(@"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex DockerEnvName();

    [GeneratedRegex(@"https?://[^/\s""]+(/[^\s""]*)")]
    private static partial Regex UrlPath();

    [GeneratedRegex(@"secrets\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex WorkflowSecret();

    [GeneratedRegex(@"health_uri\s+(\S+)")]
    private static partial Regex CaddyHealthUri();
}
