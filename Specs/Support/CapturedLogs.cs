using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MailAccounts.Specs.Support;

/// <summary>Everything the host logged, so that specs can search it for what must never be there.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Where the log stands now, for <see cref="WarningsSince"/>.</summary>
    public int Mark => _lines.Count;

    /// <summary>The warnings and errors logged since <paramref name="mark"/>: what a failing spec prints to say why.</summary>
    public string WarningsSince(int mark) => string.Join(Environment.NewLine, _lines.Skip(mark)
        .Where(l => l.StartsWith(nameof(LogLevel.Warning), StringComparison.Ordinal)
                    || l.StartsWith(nameof(LogLevel.Error), StringComparison.Ordinal)
                    || l.StartsWith(nameof(LogLevel.Critical), StringComparison.Ordinal)));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
