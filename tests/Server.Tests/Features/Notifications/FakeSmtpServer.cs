using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace EstateVoice.Server.Tests.Features.Notifications;

/// <summary>A real SMTP server (the SmtpServer package) on a free loopback port; keeps each message it accepts.</summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Store _store = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;

    private FakeSmtpServer(int port)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public Dictionary<string, string?> Settings => new()
    {
        ["SMTP_HOST"] = "127.0.0.1", ["SMTP_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SMTP_FROM"] = "Estate Voice <noreply@example.com>", ["SMTP_TLS"] = "none",
    };

    public static FakeSmtpServer Start()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new FakeSmtpServer(port);
    }

    /// <summary>The next message received (waits up to 15 s).</summary>
    public async Task<MimeMessage> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await _store.Messages.Reader.ReadAsync(timeout.Token);
    }

    public int Received => _store.Count;

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _server.Shutdown();
        await _stop.CancelAsync();
        try { await _running; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private sealed class Store : MessageStore
    {
        private int _count;
        public System.Threading.Channels.Channel<MimeMessage> Messages { get; } = System.Threading.Channels.Channel.CreateUnbounded<MimeMessage>();
        public int Count => Volatile.Read(ref _count);

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            Interlocked.Increment(ref _count);
            Messages.Writer.TryWrite(message);
            return SmtpResponse.Ok;
        }
    }
}
