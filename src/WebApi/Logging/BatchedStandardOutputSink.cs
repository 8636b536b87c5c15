using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace CleanBackend.WebApi.Logging;

/// <summary>
/// The console when it is not a terminal (a container's log, a pipe, a file): plain lines, written a batch at a time
/// through one buffer. Serilog's console sink writes and flushes every event on its own, which under load made
/// standard output one of the service's largest costs.
/// </summary>
internal sealed class BatchedStandardOutputSink(ITextFormatter formatter, Stream output) : IBatchedLogEventSink, IDisposable
{
    private readonly StreamWriter _writer = new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024);

    public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        foreach (var logEvent in batch)
        {
            formatter.Format(logEvent, _writer);
        }

        await _writer.FlushAsync();
    }

    public void Dispose() => _writer.Dispose();
}
