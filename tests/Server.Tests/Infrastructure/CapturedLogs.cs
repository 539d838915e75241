using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EstateVoice.Server.Tests.Infrastructure;

/// <summary>Collects the app's log lines so a test can assert an event was logged (e.g. "elevenlabs_webhook_duplicate_event").</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> entries = new();

    public static CapturedLogs AttachTo(AppFactory app) => AttachTo(app.Services);

    public static CapturedLogs AttachTo(IServiceProvider services)
    {
        var logs = new CapturedLogs();
        services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        return logs;
    }

    /// <summary>Error and critical entries, with the exception each was logged with (if any).</summary>
    public IEnumerable<(string Message, Exception? Exception)> Errors =>
        entries.Where(e => e.Level >= LogLevel.Error).Select(e => (e.Message, e.Exception));

    public int Count(string eventName) => entries.Count(e => e.Message.StartsWith(eventName, StringComparison.Ordinal));

    /// <summary>Waits (up to ten seconds) until an entry starting with <paramref name="eventName"/> was logged: a background
    /// worker may have done the work but not logged it yet when the test looks.</summary>
    public async Task<int> CountOnceLoggedAsync(string eventName)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Count(eventName) == 0) await Task.Delay(10, timeout.Token);
        return Count(eventName);
    }

    public IEnumerable<string> Messages => entries.Select(e => e.Message);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    private sealed class Logger(CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) owner.entries.Enqueue((logLevel, formatter(state, exception), exception));
        }
    }
}
