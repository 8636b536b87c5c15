using Microsoft.Extensions.Logging;
using Moq;

namespace CleanBackend.Application.UnitTests.Common.Behaviours;

/// <summary>One call of <see cref="ILogger.Log"/> as a mocked logger received it.</summary>
internal sealed record LogEntry(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State, Exception? Exception);

internal static class LoggerMock
{
    /// <summary>A logger with every level enabled, as the [LoggerMessage] methods check it before logging.</summary>
    public static Mock<ILogger<T>> Create<T>()
    {
        var logger = new Mock<ILogger<T>>();
        logger.Setup(l => l.IsEnabled(It.IsAny<LogLevel>())).Returns(true);
        return logger;
    }

    /// <summary>What was logged, with each message formatted by the formatter the caller passed.</summary>
    public static IReadOnlyList<LogEntry> Entries<T>(this Mock<ILogger<T>> logger) =>
    [
        .. logger.Invocations
            .Where(i => i.Method.Name == nameof(ILogger.Log))
            .Select(i =>
            {
                var state = i.Arguments[2];
                var exception = (Exception?)i.Arguments[3];
                var message = (string?)((Delegate)i.Arguments[4]).DynamicInvoke(state, exception) ?? string.Empty;
                var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
                return new LogEntry((LogLevel)i.Arguments[0], message, [.. values], exception);
            }),
    ];
}
