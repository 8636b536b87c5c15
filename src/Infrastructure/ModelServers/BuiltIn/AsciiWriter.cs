using System.Buffers.Text;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

/// <summary>
/// Buffered ASCII output for the text formats. Numbers are written in fixed point, culture-free and without
/// exponents (some obj readers reject "1E-05"), straight to bytes: a model has tens of thousands of them.
/// </summary>
internal sealed class AsciiWriter(Stream output) : IDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _length;

    public AsciiWriter Text(string text)
    {
        foreach (var c in text)
        {
            Byte(c < 0x80 ? (byte)c : (byte)'?');
        }

        return this;
    }

    public AsciiWriter Byte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
        return this;
    }

    public AsciiWriter Int(long value)
    {
        Ensure(24);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length), out var written);
        _length += written;
        return this;
    }

    /// <summary>A number rounded to 6 decimals, trailing zeros dropped: 0.5, -1.25, 0.000001, 3.</summary>
    public AsciiWriter Fixed(float value)
    {
        var micros = (long)Math.Round(value * 1_000_000d, MidpointRounding.AwayFromZero);
        if (micros < 0)
        {
            Byte((byte)'-');
            micros = -micros;
        }

        Int(micros / 1_000_000);
        var fraction = (int)(micros % 1_000_000);
        if (fraction != 0)
        {
            Ensure(7);
            _buffer[_length++] = (byte)'.';
            var digits = 6;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            for (var i = digits - 1; i >= 0; i--)
            {
                _buffer[_length + i] = (byte)('0' + (fraction % 10));
                fraction /= 10;
            }

            _length += digits;
        }

        return this;
    }

    public AsciiWriter Line() => Byte((byte)'\n');

    public void Flush()
    {
        output.Write(_buffer, 0, _length);
        _length = 0;
    }

    public void Dispose() => Flush();

    private void Ensure(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Flush();
        }
    }
}
