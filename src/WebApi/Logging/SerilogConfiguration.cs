using CleanBackend.WebApi.Configuration;
using Serilog;
using Serilog.Configuration;
using Serilog.Events;
using Serilog.Sinks.SystemConsole.Themes;

namespace CleanBackend.WebApi.Logging;

/// <summary>
/// The service's logs, as the seed keeps them: a coloured console, <c>app-*.log</c> (14 days) and
/// <c>error-*.log</c> (30 days) rolling daily under LOG_DIR. All three are written by one background thread, so a
/// request only queues its lines (a synchronous console made every request wait on the console's lock).
/// </summary>
public static class SerilogConfiguration
{
    private const string Template = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}";
    private const string ConsoleTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss} [{Level:u3}] {Message:lj} {RequestId}{NewLine}{Exception}";

    public static Serilog.Core.Logger CreateLogger(IConfiguration configuration)
    {
        var options = configuration.GetSection(LogOptions.SectionName).Get<LogOptions>() ?? new LogOptions();
        var level = ParseLevel(options.Level);
        var directory = Path.GetFullPath(options.Directory);

        return new LoggerConfiguration()
            .MinimumLevel.Is(level)
            // The framework's own request lines include query strings, which can carry tokens: ours replace them.
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            // Linux has no machine key store to encrypt data-protection keys with; saying so at every start is noise.
            .MinimumLevel.Override("Microsoft.AspNetCore.DataProtection", LogEventLevel.Error)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            // A burst beyond the queue waits for the writer rather than losing lines.
            .WriteTo.Async(sinks => AddSinks(sinks, directory), blockWhenFull: true)
            .CreateLogger();
    }

    private static void AddSinks(LoggerSinkConfiguration sinks, string directory)
    {
        sinks.Console(outputTemplate: ConsoleTemplate, theme: AnsiConsoleTheme.Code);
        sinks.File(
            Path.Combine(directory, "app-.log"),
            outputTemplate: Template,
            rollingInterval: RollingInterval.Day,
            retainedFileCountLimit: 14,
            shared: true);
        sinks.File(
            Path.Combine(directory, "error-.log"),
            restrictedToMinimumLevel: LogEventLevel.Error,
            outputTemplate: Template,
            rollingInterval: RollingInterval.Day,
            retainedFileCountLimit: 30,
            shared: true);
    }

    /// <summary>
    /// The console alone, written at once: for the last words of a start-up that failed, when the host has already
    /// disposed (and flushed) the service's own logger.
    /// </summary>
    public static Serilog.Core.Logger CreateConsoleLogger() =>
        new LoggerConfiguration().WriteTo.Console(outputTemplate: ConsoleTemplate, theme: AnsiConsoleTheme.Code).CreateLogger();

    public static LogEventLevel ParseLevel(string? level) => level?.Trim().ToLowerInvariant() switch
    {
        "error" => LogEventLevel.Error,
        "warn" or "warning" => LogEventLevel.Warning,
        "info" or "information" or "http" => LogEventLevel.Information,
        "debug" => LogEventLevel.Debug,
        "verbose" or "trace" or "silly" => LogEventLevel.Verbose,
        _ => throw new InvalidOperationException($"LOG_LEVEL: '{level}' is not one of error, warn, info, debug, verbose."),
    };
}
