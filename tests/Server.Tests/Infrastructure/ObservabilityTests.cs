using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Tools;
using EstateVoice.Server.Infrastructure.Observability;
using EstateVoice.Server.Tests.Fakes;
using EstateVoice.Server.Tests.Features.Voice.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using AudioFixtures = EstateVoice.Server.Tests.Fakes.AudioFixtures;

namespace EstateVoice.Server.Tests.Infrastructure;

/// <summary>LOG_FORMAT=json and OTEL_EXPORTER_OTLP_ENDPOINT, on the real server with a real call.</summary>
public sealed class ObservabilityTests
{
    [Fact]
    public async Task Json_log_lines_carry_the_request_id_and_within_a_call_the_call_sid_whatever_thread_logs_them()
    {
        // The model asks for details of a listing with an id that is not a number: the tool throws and the agent stage
        // logs it on its own loop, a thread the session never runs on.
        var chat = new ToolThenReplyChat(AgentTools.GetPropertyDetails, new() { ["property_id"] = "not-a-number" });
        await using var app = new VoiceAppFactory
        {
            Stt = new ScriptedSpeechToText("Tell me about that one."), Tts = new ToneTextToSpeech(msPerWord: 10), Chat = chat,
            Settings = { [ObservabilityExtensions.LogFormatVariable] = "json" },
        };
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        Assert.Equal(ConsoleFormatterNames.Json, app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        var lines = JsonLines.AttachTo(app.Services);

        (await http.GetAsync("/health")).EnsureSuccessStatusCode();
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.SayAndAwaitReplyAsync(AudioFixtures.Load("buyer-intent"));
            await caller.StopAsync();
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        var callSid = (await app.CallRowAsync(callId)).CallSid;
        await lines.WaitForAsync(l => l.Message.StartsWith($"Call {callId} finished", StringComparison.Ordinal));

        var request = Assert.Single(lines.Parsed, l => l.Message.StartsWith("HTTP GET /health responded 200", StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(request.Scope("RequestId")));
        Assert.Null(request.Scope("CallSid"));

        var toolFailed = Assert.Single(lines.Parsed, l => l.Message == $"Tool {AgentTools.GetPropertyDetails} failed");
        Assert.Equal("Warning", toolFailed.Level);
        Assert.Equal(typeof(Server.Features.Voice.Stages.LlmStage).FullName, toolFailed.Category);
        Assert.Equal(callSid, toolFailed.Scope("CallSid"));
        Assert.Equal(callId.ToString(System.Globalization.CultureInfo.InvariantCulture), toolFailed.Scope("CallId"));
        Assert.Equal(caller.StreamSid, toolFailed.Scope("StreamSid"));
        Assert.False(string.IsNullOrEmpty(toolFailed.Scope("RequestId"))); // the media stream's own request
        var finished = Assert.Single(lines.Parsed, l => l.Message.StartsWith($"Call {callId} finished", StringComparison.Ordinal));
        Assert.Equal(callSid, finished.Scope("CallSid"));
        Assert.Equal(toolFailed.Scope("RequestId"), finished.Scope("RequestId"));
    }

    [Fact]
    public async Task Unset_the_logs_stay_single_line_text_and_nothing_is_traced()
    {
        await using var app = new VoiceAppFactory();
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        Assert.Equal(ConsoleFormatterNames.Simple, app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.Null(app.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task A_log_format_other_than_json_or_text_stops_startup()
    {
        await using var app = new VoiceAppFactory { Settings = { [ObservabilityExtensions.LogFormatVariable] = "xml" } };
        var error = Assert.ThrowsAny<Exception>(() => app.BaseUri);
        Assert.Contains("LOG_FORMAT must be 'json' or 'text'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_the_call_trace_is_posted_to_the_collector_over_http_protobuf()
    {
        var posts = new ConcurrentQueue<(string Path, string? ContentType, byte[] Body)>();
        await using var collector = await FakeServerHost.StartAsync(web =>
        {
            web.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                posts.Enqueue((context.Request.Path, context.Request.ContentType, body.ToArray()));
                return Results.Ok();
            });
        });
        await using var app = new VoiceAppFactory
        {
            Tts = new ToneTextToSpeech(msPerWord: 10),
            Settings =
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseUrl(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            },
        };
        var (caller, callId) = await app.CallAsync();
        await using (caller)
        {
            await caller.WaitForAgentToFinishAsync();
            await caller.StopAsync();
            await caller.WaitUntilAsync(() => app.CallEndedAsync(callId));
        }
        var callSid = Encoding.UTF8.GetBytes((await app.CallRowAsync(callId)).CallSid);

        // The call's root span (named, with its SID) reaches the collector's traces endpoint as protobuf.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!posts.Any(p => p.Path == "/v1/traces" && Contains(p.Body, callSid) && Contains(p.Body, "voice.call"u8.ToArray())))
            await Task.Delay(50, timeout.Token);
        Assert.All(posts.Where(p => p.Path == "/v1/traces"), p => Assert.Equal("application/x-protobuf", p.ContentType));
        Assert.Contains(posts, p => p.Path == "/v1/traces" && Contains(p.Body, "voice.tts"u8.ToArray()));
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>The app's own JSON console formatter (as LOG_FORMAT configured it) writing to a list instead of stdout.</summary>
    private sealed class JsonLines : ILoggerProvider, ISupportExternalScope
    {
        private readonly ConsoleFormatter _formatter;
        private readonly ConcurrentQueue<string> _lines = new();
        private IExternalScopeProvider? _scopes;

        private JsonLines(ConsoleFormatter formatter) => _formatter = formatter;

        public static JsonLines AttachTo(IServiceProvider services)
        {
            var formatter = services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json);
            var lines = new JsonLines(formatter);
            services.GetRequiredService<ILoggerFactory>().AddProvider(lines);
            return lines;
        }

        /// <summary>Every line, parsed (a line that is not one JSON object fails the test here).</summary>
        public IReadOnlyList<Line> Parsed => [.. _lines.Select(Line.Parse)];

        public async Task WaitForAsync(Func<Line, bool> match)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!Parsed.Any(match)) await Task.Delay(20, timeout.Token);
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;
        public void Dispose() { }

        private sealed class Logger(JsonLines owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => NullLogger.Instance.BeginScope(state);
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel)) return;
                using var writer = new StringWriter();
                owner._formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), owner._scopes, writer);
                owner._lines.Enqueue(writer.ToString());
            }
        }
    }

    private sealed record Line(string Level, string Category, string Message, Dictionary<string, string?> Scopes)
    {
        public string? Scope(string name) => Scopes.GetValueOrDefault(name);

        public static Line Parse(string text)
        {
            Assert.Single(text.TrimEnd('\n').Split('\n')); // one object per line
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            var scopes = new Dictionary<string, string?>();
            if (root.TryGetProperty(nameof(Scopes), out var list))
            {
                foreach (var scope in list.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object))
                {
                    foreach (var property in scope.EnumerateObject().Where(p => p.Name != "Message"))
                        scopes[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                }
            }
            return new Line(root.GetProperty("LogLevel").GetString()!, root.GetProperty(nameof(Category)).GetString()!,
                root.GetProperty(nameof(Message)).GetString()!, scopes);
        }
    }
}
