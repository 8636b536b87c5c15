namespace CleanBackend.Application.Assets.Commands.UploadAsset;

/// <summary>Reads one stream after another, forward only; used to put sniffed bytes back in front of the rest.</summary>
internal sealed class ConcatenatedStream(params Stream[] streams) : Stream
{
    private int _current;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_current < streams.Length)
        {
            var read = streams[_current].Read(buffer);
            if (read > 0)
            {
                return read;
            }

            _current++;
        }

        return 0;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_current < streams.Length)
        {
            var read = await streams[_current].ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                return read;
            }

            _current++;
        }

        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
