using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Voice.Providers.Deepgram;

/// <summary>Deepgram live transcription (<c>/v1/listen</c> WebSocket) for 8 kHz mu-law caller audio.</summary>
public sealed class DeepgramSpeechToText(IOptions<DeepgramOptions> options, TimeProvider time, ILogger<DeepgramSpeechToText> logger)
    : ISpeechToText
{
    public async Task<ISpeechToTextSession> StartAsync(SpeechToTextOptions sttOptions, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured) throw new InvalidOperationException("DEEPGRAM_API_KEY is not set");
        var uri = BuildListenUri(settings, sttOptions);
        return await DeepgramSttSession.StartAsync(ct => ConnectAsync(uri, settings, ct), settings, time, logger, sttOptions.CallSid, cancellationToken);
    }

    internal static Uri BuildListenUri(DeepgramOptions settings, SpeechToTextOptions sttOptions)
    {
        var query = new List<string>
        {
            "model=" + Uri.EscapeDataString(settings.SttModel),
            "language=" + Uri.EscapeDataString(settings.Language),
            "encoding=mulaw", "sample_rate=8000", "channels=1",
            "interim_results=true",
            "endpointing=" + sttOptions.EndpointingMs.ToString(CultureInfo.InvariantCulture),
            // Deepgram documents 1000 ms as the smallest useful utterance_end_ms.
            "utterance_end_ms=" + Math.Max(1000, sttOptions.UtteranceEndMs).ToString(CultureInfo.InvariantCulture),
            "vad_events=true", "smart_format=true", "punctuate=true",
        };
        // nova-3 takes "keyterm"; older models "keywords". Domain words (cities, names) help both.
        var keyParameter = settings.SttModel.StartsWith("nova-3", StringComparison.Ordinal) ? "keyterm" : "keywords";
        foreach (var keyword in (sttOptions.Keywords ?? []).Where(k => !string.IsNullOrWhiteSpace(k)).Distinct().Take(50))
        {
            query.Add(keyParameter + "=" + Uri.EscapeDataString(keyword.Trim()));
        }
        return settings.BuildUri("/v1/listen?" + string.Join('&', query), webSocket: true);
    }

    // Results continue on the socket's I/O thread (SocketCompletions); each connect is a connection of its own.
    private static readonly HttpMessageInvoker Connections = new(Infrastructure.Configuration.SocketCompletions.CreateHandler());

    private static async Task<WebSocket> ConnectAsync(Uri uri, DeepgramOptions settings, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Token " + settings.ApiKey);
        socket.Options.CollectHttpResponseDetails = true; // tells a refusal (bad key) from an outage worth retrying
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(uri, Connections, timeout.Token);
            return socket;
        }
        catch (WebSocketException ex) when (socket.HttpStatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized
                                                 or HttpStatusCode.Forbidden or HttpStatusCode.PaymentRequired)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new DeepgramRejectedException(status, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>Deepgram refused the connection for a reason a retry cannot fix (bad key, bad request, no credit).</summary>
public sealed class DeepgramRejectedException(HttpStatusCode status, Exception inner)
    : Exception($"Deepgram refused the connection ({(int)status} {status})", inner)
{
    public HttpStatusCode Status { get; } = status;
}
