using System.Text;
using CleanBackend.WebApi.Logging;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace CleanBackend.WebApi.FunctionalTests.Logging;

public sealed class BatchedStandardOutputSinkTests
{
    [Fact]
    public async Task EmitBatch_WritesEveryLineOfTheBatch_ThenFlushesOnce()
    {
        var output = new CountingStream();
        using var sink = new BatchedStandardOutputSink(new MessageTemplateTextFormatter("[{Level:u3}] {Message:lj}{NewLine}"), output);

        await sink.EmitBatchAsync([Event(LogEventLevel.Information, "Incoming GET /api/chats"), Event(LogEventLevel.Error, "Response GET /api/chats - 500")]);

        Encoding.UTF8.GetString(output.ToArray()).ShouldBe($"[INF] Incoming GET /api/chats{Environment.NewLine}[ERR] Response GET /api/chats - 500{Environment.NewLine}");
        output.Writes.ShouldBe(1);
    }

    private static LogEvent Event(LogEventLevel level, string text) =>
        new(DateTimeOffset.UnixEpoch, level, null, new MessageTemplateParser().Parse(text), []);

    /// <summary>Counts the writes that reach the stream: one per batch, not one per line.</summary>
    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Writes++;
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
