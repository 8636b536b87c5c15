using CleanBackend.WebApi.Configuration;
using Serilog;
using Serilog.AspNetCore;
using Serilog.Configuration;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Sinks.SystemConsole.Themes;

namespace CleanBackend.WebApi.Logging;

/// <summary>
/// The service's logs, as the seed keeps them: the console, <c>app-*.log</c> (14 days) and <c>error-*.log</c>
/// (30 days) rolling daily under LOG_DIR. A request only queues its lines: the files are written by one background
/// thread through a buffer flushed every second, and the console is coloured line by line on a terminal but written
/// a batch at a time (every 100 ms at most) when it is redirected, as in a container.
/// </summary>
public static class SerilogConfiguration
{
    private const string Template = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}";
    private const string ConsoleTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss} [{Level:u3}] {Message:lj} {RequestId}{NewLine}{Exception}";
    private const int ConsoleQueueLimit = 100_000;

    // Above Fatal: nothing from the source is enabled, not even IsEnabled(Critical).
    private const LogEventLevel Off = LogEventLevel.Fatal + 1;
    private static readonly TimeSpan FileFlushInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ConsoleBatchInterval = TimeSpan.FromMilliseconds(100);

    public static Serilog.Core.Logger CreateLogger(IConfiguration configuration)
    {
        var options = configuration.GetSection(LogOptions.SectionName).Get<LogOptions>() ?? new LogOptions();
        var level = ParseLevel(options.Level);
        var directory = Path.GetFullPath(options.Directory);

        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            // The framework's own request lines include query strings, which can carry tokens: ours replace them.
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            // The host's own request lines are replaced by ours; switched off at the source, the host also stops
            // opening a logging scope and an Activity for every request just for them.
            .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", Off)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            // Linux has no machine key store to encrypt data-protection keys with; saying so at every start is noise.
            .MinimumLevel.Override("Microsoft.AspNetCore.DataProtection", LogEventLevel.Error)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            // A burst beyond the queue waits for the writer rather than losing lines.
            .WriteTo.Async(sinks => AddFiles(sinks, directory), blockWhenFull: true);

        if (Console.IsOutputRedirected)
        {
            // The files keep every line (their writer waits when behind); the console drops lines only beyond
            // ConsoleQueueLimit waiting, rather than growing without bound when its reader stalls.
            logger.WriteTo.Sink(
                new BatchedStandardOutputSink(new MessageTemplateTextFormatter(ConsoleTemplate), Console.OpenStandardOutput()),
                new BatchingOptions { BufferingTimeLimit = ConsoleBatchInterval, EagerlyEmitFirstEvent = true, QueueLimit = ConsoleQueueLimit });
        }
        else
        {
            logger.WriteTo.Async(sinks => sinks.Console(outputTemplate: ConsoleTemplate, theme: AnsiConsoleTheme.Code), blockWhenFull: true);
        }

        return logger.CreateLogger();
    }

    private static void AddFiles(LoggerSinkConfiguration sinks, string directory)
    {
        sinks.File(
            Path.Combine(directory, "app-.log"),
            outputTemplate: Template,
            rollingInterval: RollingInterval.Day,
            retainedFileCountLimit: 14,
            buffered: true,
            flushToDiskInterval: FileFlushInterval);
        sinks.File(
            Path.Combine(directory, "error-.log"),
            restrictedToMinimumLevel: LogEventLevel.Error,
            outputTemplate: Template,
            rollingInterval: RollingInterval.Day,
            retainedFileCountLimit: 30,
            buffered: true,
            flushToDiskInterval: FileFlushInterval);
    }

    /// <summary>
    /// The line each request ends with, as "Response POST /api/chats - 201 (12ms)": an error from 500 on, else
    /// information, under the request's id. The path never has its query string (it can carry tokens).
    /// </summary>
    public static void ConfigureRequestLogging(RequestLoggingOptions options, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);

        // The service's logger is not the static one that the middleware would write to otherwise.
        options.Logger = logger;
        options.MessageTemplate = "Response {RequestMethod} {RequestPath} - {StatusCode} ({Elapsed:0}ms)";
        options.IncludeQueryInRequestPath = false;
        options.GetLevel = static (context, _, exception) =>
            exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error : LogEventLevel.Information;
        options.EnrichDiagnosticContext = static (diagnostics, context) => diagnostics.Set("RequestId", context.TraceIdentifier);
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
