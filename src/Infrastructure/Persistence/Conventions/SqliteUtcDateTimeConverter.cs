using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CleanBackend.Infrastructure.Persistence.Conventions;

/// <summary>
/// SQLite keeps times as text, <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>, as EF Core writes them. Microsoft.Data.Sqlite reads
/// them back with <see cref="DateTime.Parse(string, IFormatProvider)"/>, which took a tenth of a list request's CPU;
/// this converter writes the same text and reads it by position, in UTC (other text still goes through the parser).
/// </summary>
public sealed class SqliteUtcDateTimeConverter() : ValueConverter<DateTime, string>(
    v => Format(v),
    v => Parse(v))
{
    public const string TextFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    public static string Format(DateTime value) =>
        (value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime()).ToString(TextFormat, CultureInfo.InvariantCulture);

    public static DateTime Parse(string text)
    {
        var s = text.AsSpan();
        if (s.Length >= 19 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' && s[16] == ':'
            && Digits(s[..4], out var year) && Digits(s.Slice(5, 2), out var month) && Digits(s.Slice(8, 2), out var day)
            && Digits(s.Slice(11, 2), out var hour) && Digits(s.Slice(14, 2), out var minute) && Digits(s.Slice(17, 2), out var second)
            && Fraction(s[19..], out var ticks)
            && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year == 0 ? 1 : year, month)
            && year >= 1 && hour < 24 && minute < 60 && second < 60)
        {
            return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks);
        }

        return DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }

    private static bool Digits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>Nothing, or a point and 1 to 7 digits (tenths of a second down to ticks).</summary>
    private static bool Fraction(ReadOnlySpan<char> text, out long ticks)
    {
        ticks = 0;
        if (text.IsEmpty)
        {
            return true;
        }

        if (text[0] != '.' || text.Length is < 2 or > 8 || !Digits(text[1..], out var digits))
        {
            return false;
        }

        ticks = digits;
        for (var i = text.Length - 1; i < 7; i++)
        {
            ticks *= 10;
        }

        return true;
    }
}
