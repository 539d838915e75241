using System.Text.Json;
using System.Threading.Channels;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Voice.Live;

/// <summary>
/// Sends live events to <see cref="CallsHub"/> groups. <c>callUpdated</c> carries the whole call (<c>{ call }</c>, as
/// <c>GET /calls/{id}</c>), read from the database by one background loop: status changes are a few per call, so
/// the read is cheap, it never runs on the voice loop, and updates of one call reach listeners in the order published.
/// It is made only while a monitor is connected here or on another node (<see cref="MonitorsOnOtherNodes"/>).
/// </summary>
internal sealed class SignalRCallEventPublisher : ICallEventPublisher, IAsyncDisposable
{
    private readonly IHubContext<CallsHub> _hub;
    private readonly CallsHubListeners _listeners;
    private readonly IServiceScopeFactory _scopes;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger<SignalRCallEventPublisher> _logger;
    private readonly MonitorsOnOtherNodes _otherNodes;
    private readonly Channel<(int? AgentId, int CallId)> _updates =
        Channel.CreateUnbounded<(int? AgentId, int CallId)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _sender;

    public SignalRCallEventPublisher(IHubContext<CallsHub> hub, CallsHubListeners listeners, IServiceScopeFactory scopes,
        IOptions<JsonOptions> json, ILogger<SignalRCallEventPublisher> logger, MonitorsOnOtherNodes otherNodes)
    {
        _hub = hub;
        _listeners = listeners;
        _scopes = scopes;
        // The REST API's JSON (snake_case names and enums), so the pushed call is byte-for-byte the GET /calls/{id} shape.
        _json = json.Value.SerializerOptions;
        _logger = logger;
        _otherNodes = otherNodes;
        _sender = Task.Run(SendUpdatesAsync);
    }

    public void CallUpdated(int? agentId, int callId)
    {
        if (_listeners.Any || _otherNodes.Any) _updates.Writer.TryWrite((agentId, callId));
    }

    public void Transcript(int? agentId, TranscriptEvent e) => Send(agentId, "transcript", e);
    public void ToolCall(int? agentId, ToolCallEvent e) => Send(agentId, "toolCall", e);

    private async Task SendUpdatesAsync()
    {
        await foreach (var (agentId, callId) in _updates.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var call = await CallDetail.LoadAsync(db, db.Calls.AsNoTracking(), callId, CancellationToken.None).ConfigureAwait(false);
                if (call is null) continue;
                // Serialised here rather than by the hub protocol, whose JSON options are camelCase.
                Send(agentId, "callUpdated", JsonSerializer.SerializeToElement(new { call }, _json));
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Live update of call {CallId} not sent", callId);
            }
        }
    }

    private void Send(int? agentId, string method, object payload)
    {
        IClientProxy clients = agentId is { } id
            ? _hub.Clients.Groups(CallsHub.AllCallsGroup, CallsHub.AgentGroup(id))
            : _hub.Clients.Group(CallsHub.AllCallsGroup);
        var task = clients.SendAsync(method, payload);
        if (!task.IsCompletedSuccessfully)
            _ = task.ContinueWith(t => _logger.LogDebug(t.Exception, "Live event {Method} not delivered", method),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        _updates.Writer.TryComplete();
        await _sender.ConfigureAwait(false);
    }
}
