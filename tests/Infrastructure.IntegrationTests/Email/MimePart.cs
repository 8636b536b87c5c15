using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CleanBackend.Infrastructure.IntegrationTests.Email;

/// <summary>
/// Just enough MIME reading to check what the service wrote (headers, nested parts, decoded bodies), on its own rather
/// than with the MIME library that wrote it, so a mistake in one is not hidden by the same mistake in the other.
/// </summary>
public sealed partial class MimePart
{
    private MimePart(Dictionary<string, string> headers, string body, IReadOnlyList<MimePart> parts)
    {
        Headers = headers;
        Body = body;
        Parts = parts;
    }

    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The body as written on the wire, still transfer-encoded.</summary>
    public string Body { get; }

    public IReadOnlyList<MimePart> Parts { get; }

    /// <summary>The media type, e.g. <c>text/plain</c>, without its parameters.</summary>
    public string MediaType => (Header("Content-Type") ?? "text/plain").Split(';')[0].Trim().ToLowerInvariant();

    public string TransferEncoding => (Header("Content-Transfer-Encoding") ?? "7bit").Trim().ToLowerInvariant();

    /// <summary>The body with its transfer encoding undone, read as UTF-8.</summary>
    public string DecodedBody => TransferEncoding switch
    {
        "quoted-printable" => QuotedPrintable.Decode(Body),
        "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(Body.Replace("\r\n", string.Empty, StringComparison.Ordinal))),
        _ => Body,
    };

    /// <summary>A header's value with RFC 2047 encoded words decoded; null when absent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? EncodedWords.Decode(value) : null;

    /// <summary>This part or the first nested part of the media type.</summary>
    public MimePart? Find(string mediaType) =>
        MediaType == mediaType ? this : Parts.Select(p => p.Find(mediaType)).FirstOrDefault(p => p is not null);

    public static MimePart Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headerText = split < 0 ? raw : raw[..split];
        var body = split < 0 ? string.Empty : raw[(split + 4)..];

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in headerText.Split("\r\n"))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && last is not null)
            {
                headers[last] += " " + line.Trim();
            }
            else if (line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
            {
                last = line[..colon].Trim();
                headers[last] = line[(colon + 1)..].Trim();
            }
        }

        var parts = new List<MimePart>();
        if (headers.TryGetValue("Content-Type", out var contentType)
            && contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)
            && Boundary().Match(contentType) is { Success: true } boundary)
        {
            var delimiter = "--" + boundary.Groups[1].Value;
            var segments = body.Split(delimiter);

            // segments[0] is the preamble; the segment after the closing delimiter starts with "--".
            foreach (var segment in segments.Skip(1).Where(s => !s.StartsWith("--", StringComparison.Ordinal)))
            {
                var content = segment.StartsWith("\r\n", StringComparison.Ordinal) ? segment[2..] : segment;
                content = content.EndsWith("\r\n", StringComparison.Ordinal) ? content[..^2] : content;
                parts.Add(Parse(content));
            }
        }

        return new MimePart(headers, body, parts);
    }

    [GeneratedRegex("boundary=\"?([^\";]+)\"?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Boundary();
}

/// <summary>Decodes quoted-printable text (RFC 2045 6.7) as UTF-8.</summary>
public static class QuotedPrintable
{
    public static string Decode(string encoded, Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c != '=')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
            else if (i + 2 < encoded.Length && encoded[i + 1] == '\r' && encoded[i + 2] == '\n')
            {
                i += 2; // soft line break
            }
            else if (i + 1 < encoded.Length && encoded[i + 1] == '\n')
            {
                i += 1; // soft line break with a bare LF
            }
            else if (i + 2 < encoded.Length && byte.TryParse(encoded.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                bytes.Add(value);
                i += 2;
            }
            else
            {
                bytes.Add((byte)'=');
            }
        }

        return (encoding ?? Encoding.UTF8).GetString([.. bytes]);
    }
}

/// <summary>Decodes RFC 2047 encoded words (<c>=?utf-8?B?...?=</c>, <c>=?utf-8?Q?...?=</c>) in header values.</summary>
public static partial class EncodedWords
{
    public static string Decode(string value) =>
        Word().Replace(BetweenWords().Replace(value, string.Empty), m =>
        {
            var encoding = Encoding.GetEncoding(m.Groups[1].Value);
            var text = m.Groups[3].Value;
            return m.Groups[2].Value.ToUpperInvariant() == "B"
                ? encoding.GetString(Convert.FromBase64String(text))
                : QuotedPrintable.Decode(text.Replace('_', ' '), encoding);
        });

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 6.2).
    [GeneratedRegex(@"(?<=\?=)\s+(?==\?)", RegexOptions.CultureInvariant)]
    private static partial Regex BetweenWords();
}
