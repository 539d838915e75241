using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EstateVoice.CallSimulator;

// Plays the Twilio side of a phone call against any Estate Voice deployment. See README "Call simulator".
var options = SimulatorArgs.Parse(args);
if (options is null) { Console.Error.WriteLine(SimulatorArgs.Usage); return 2; }

using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
var ct = cancel.Token;

Console.WriteLine($"Dialling {options.Simulator.BaseUrl} from {options.Simulator.From} …");
await using var call = await SimulatedCall.DialAsync(http, options.Simulator, ct);
Console.WriteLine($"Connected: CallSid {call.CallSid}");
var greeting = await call.WaitForAgentAsync("(call start)", options.Quiet, options.TurnTimeout, ct);
Console.WriteLine($"  agent greeting: first audio after {Ms(greeting.ResponseLatency)}, {greeting.AgentAudio.TotalSeconds:0.0} s of speech");

var timings = new List<TurnTiming>();
foreach (var line in options.Lines)
{
    if (line.StartsWith('#')) { Console.WriteLine($"caller presses {line[1]}"); call.PressKey(line[1]); continue; }
    var bargeIn = line.StartsWith('!');
    var text = bargeIn ? line[1..] : line;
    var audio = await CallerAudio.LoadAsync(text, ct);
    if (bargeIn)
    {
        // Talk over the agent: wait until its reply starts playing, then speak.
        var start = DateTime.UtcNow;
        while (!call.AgentIsSpeaking && DateTime.UtcNow - start < options.TurnTimeout) await Task.Delay(20, ct);
        await Task.Delay(400, ct);
    }
    Console.WriteLine($"caller{(bargeIn ? " (barging in)" : "")}: {text}");
    await call.SayAsync(audio, ct);
    var timing = await call.WaitForAgentAsync(text, options.Quiet, options.TurnTimeout, ct);
    timings.Add(timing);
    Console.WriteLine(timing.ResponseLatency == TimeSpan.MaxValue
        ? "  agent: (no reply)"
        : $"  agent: first audio {Ms(timing.ResponseLatency)} after the caller stopped, {timing.AgentAudio.TotalSeconds:0.0} s of speech");
}
if (call.ClearLatencies.Count > 0)
    Console.WriteLine($"barge-in: {call.ClearsReceived} clear(s), caller onset to clear {string.Join(", ", call.ClearLatencies.Select(Ms))}");

await call.HangUpAsync(ct);
Console.WriteLine($"Hung up. Agent audio {call.AgentAudioBytes / 8000.0:0.0} s, marks echoed {call.MarksEchoed}.");
if (options.Email is not null) await PrintSavedCallAsync(http, options, call.CallSid, ct);
return 0;

static string Ms(TimeSpan t) => t == TimeSpan.MaxValue ? "—" : $"{t.TotalMilliseconds:0} ms";

static async Task PrintSavedCallAsync(HttpClient http, SimulatorArgs options, string callSid, CancellationToken ct)
{
    var baseUrl = options.Simulator.BaseUrl;
    var login = await http.PostAsJsonAsync(new Uri(baseUrl, "/auth/login"), new { email = options.Email, password = options.Password }, ct);
    if (!login.IsSuccessStatusCode) { Console.WriteLine($"(login failed: {(int)login.StatusCode})"); return; }
    var token = (await login.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("access_token").GetString();
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    await Task.Delay(500, ct); // the server finalises the call after the stream closes
    var list = await http.GetFromJsonAsync<JsonElement>(new Uri(baseUrl, $"/calls/?call_sid={callSid}"), ct);
    var items = list.GetProperty("items");
    if (items.GetArrayLength() == 0) { Console.WriteLine("(call not found in /calls)"); return; }
    var detail = await http.GetFromJsonAsync<JsonElement>(new Uri(baseUrl, $"/calls/{items[0].GetProperty("id").GetInt32()}"), ct);
    Console.WriteLine($"\nSaved call #{detail.GetProperty("id")} — status {detail.GetProperty("status")}, outcome {detail.GetProperty("outcome")}");
    foreach (var turn in detail.GetProperty("turns").EnumerateArray())
    {
        var latency = turn.TryGetProperty("latency", out var l) && l.ValueKind == JsonValueKind.Object
            ? $"  [stt {l.GetProperty("stt_ms")} · llm {l.GetProperty("llm_first_token_ms")} · tts {l.GetProperty("tts_first_byte_ms")} · audio {l.GetProperty("first_audio_ms")} ms]"
            : "";
        var interrupted = turn.GetProperty("interrupted").GetBoolean() ? " (interrupted)" : "";
        Console.WriteLine($"  {turn.GetProperty("speaker").GetString(),-6} {turn.GetProperty("text").GetString()}{interrupted}{latency}");
    }
}

internal sealed record SimulatorArgs(SimulatorOptions Simulator, IReadOnlyList<string> Lines, TimeSpan Quiet, TimeSpan TurnTimeout, string? Email, string? Password)
{
    public const string Usage = """
        Usage: dotnet run --project tools/CallSimulator -- [options] [caller lines…]
          --url URL           the deployment (default http://127.0.0.1:8000)
          --auth-token TOKEN  Twilio auth token: sign requests as Twilio does (default $TWILIO_AUTH_TOKEN)
          --from / --to       caller and called numbers (E.164)
          --stream-url URL    connect the media stream here instead of the TwiML's URL
          --script FILE       caller lines, one per line
          --email / --password  print the saved transcript with per-turn latencies afterwards
          --quiet-ms N        agent silence that ends its turn (default 1200)
        A caller line is text (spoken by espeak-ng), @file.wav (mu-law 8 kHz), #0 (a key press),
        or !text (barge in: spoken while the agent is still talking). Without lines, a buyer call is played.
        """;

    private static readonly string[] BuyerScript =
    [
        "Hi, I'm looking to buy a house.", "Somewhere in Austin.", "Three bedrooms.", "Around six hundred thousand dollars.",
        "In the next three months.", "Yes, I'm pre-approved.", "My name is Sam Taylor.", "Yes, please book a showing for Saturday at ten.",
        "No, that's all. Goodbye.",
    ];

    public static SimulatorArgs? Parse(string[] args)
    {
        var url = "http://127.0.0.1:8000";
        string? token = Environment.GetEnvironmentVariable("TWILIO_AUTH_TOKEN"), from = null, to = null, streamUrl = null, email = null, password = "password";
        var quiet = 1200;
        var lines = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--url": url = Next(); break;
                case "--auth-token": token = Next(); break;
                case "--from": from = Next(); break;
                case "--to": to = Next(); break;
                case "--stream-url": streamUrl = Next(); break;
                case "--script": lines.AddRange(File.ReadAllLines(Next()).Where(l => l.Trim().Length > 0)); break;
                case "--email": email = Next(); break;
                case "--password": password = Next(); break;
                case "--quiet-ms": quiet = int.Parse(Next()); break;
                case "-h" or "--help": return null;
                default: lines.Add(args[i]); break;
            }
        }
        var simulator = new SimulatorOptions(new Uri(url), token) { StreamUrl = streamUrl is null ? null : new Uri(streamUrl) };
        if (from is not null) simulator = simulator with { From = from };
        if (to is not null) simulator = simulator with { To = to };
        return new(simulator, lines.Count > 0 ? lines : BuyerScript, TimeSpan.FromMilliseconds(quiet), TimeSpan.FromSeconds(30), email, password);
    }
}
