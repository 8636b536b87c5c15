using System.Globalization;

namespace CleanBackend.Infrastructure.Configuration;

/// <summary>Durations written as the seed's configuration writes them: <c>30s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c>, plain seconds, or <c>250ms</c>.</summary>
public static class Duration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim().ToLowerInvariant();
        if (value.EndsWith("ms", StringComparison.Ordinal))
        {
            var ok = int.TryParse(value[..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0;
            duration = ok ? TimeSpan.FromMilliseconds(ms) : default;
            return ok;
        }

        var unit = char.IsAsciiLetter(value[^1]) ? value[^1] : 's';
        var number = char.IsAsciiLetter(value[^1]) ? value[..^1] : value;
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return false;
        }

        duration = unit switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => TimeSpan.Zero,
        };
        return duration > TimeSpan.Zero;
    }

    public static TimeSpan Parse(string? text, string variable) =>
        TryParse(text, out var duration)
            ? duration
            : throw new FormatException($"{variable}: '{text}' is not a duration such as 30s, 15m, 1h or 7d.");
}
