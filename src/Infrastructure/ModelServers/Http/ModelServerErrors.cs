using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Assets;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CleanBackend.Infrastructure.ModelServers.Http;

/// <summary>
/// The <see cref="ModelServerException"/>s of the HTTP model servers. Their messages end up on the job, in front of
/// its owner: they say what went wrong in plain words, carry the server's own error text, and leave addresses and
/// stack traces to the inner exception (which the job's log shows).
/// </summary>
internal static partial class ModelServerErrors
{
    private const int MaxServerTextLength = 300;

    /// <summary>
    /// The call failed without an answer: connection, per-try timeout, or an open circuit, which makes the server
    /// unavailable for the break (<see cref="ModelServerUnavailableException"/>: the job waits, it is not at fault).
    /// </summary>
    public static ModelServerException DidNotAnswer(Exception exception, int tries, ModelServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (exception is BrokenCircuitException open)
        {
            var retryAfter = open.RetryAfter is { } left && left > TimeSpan.Zero ? left : ModelServerResilience.BreakDurationOf(settings);
            return new ModelServerUnavailableException(
                $"The model server is unavailable: it failed {settings.BreakerFailures} times in a row, so calls to it are paused for a while.",
                retryAfter,
                exception);
        }

        var reason = exception switch
        {
            TimeoutRejectedException timeout => $"no answer within {Format(timeout.Timeout)}",
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "its host name could not be resolved",
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "the connection was refused or could not be made",
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "the secure connection failed",
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => "the connection broke off",
            HttpRequestException => "the connection failed",
            _ => "the call failed",
        };
        var after = tries > 1 ? $" after {tries} tries" : "";
        return new ModelServerException($"The model server did not answer{after}: {reason}.", exception);
    }

    /// <summary>"GET /v1/generations/abc": the method and path of a call, without the server's address.</summary>
    public static string Call(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.RequestUri is not { } uri ? "" : uri.IsAbsoluteUri ? uri.AbsolutePath : "/" + uri.OriginalString.TrimStart('/');
        return $"{request.Method} {path}";
    }

    /// <summary>The server answered with an error status; its own error text is kept.</summary>
    public static async Task<ModelServerException> FailedAsync(HttpResponseMessage response, int tries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}".Trim();
        var head = ModelServerResilience.IsTransient(response.StatusCode)
            ? $"The model server failed ({status}{(tries > 1 ? $", {tries} tries" : "")})"
            : response.StatusCode == HttpStatusCode.NotFound && response.RequestMessage is { RequestUri: not null } request
                ? $"The model server has no {Call(request)} ({status})"
                : $"The model server refused the request ({status})";
        var text = await ServerErrorTextAsync(response, cancellationToken);
        return new ModelServerException(text is null ? head + "." : $"{head}: {text}");
    }

    /// <summary>A v1 generation that ended as failed, with the server's reason.</summary>
    public static ModelServerException GenerationFailed(string? error) =>
        new(Clean(error) is { } text ? $"The model server failed: {text}" : "The model server failed without saying why.");

    public static ModelServerException TimedOut(TimeSpan generationTimeout) =>
        new($"The model server timed out: the generation took longer than {Format(generationTimeout)}.");

    public static ModelServerException BadAnswer(string what, Exception? innerException = null) =>
        new($"The model server gave an answer this service cannot use: {what}.", innerException!);

    public static ModelServerException FileTooLarge(string fileName, long maxBytes) =>
        new($"The model server sent a file ({Clean(fileName)}) larger than the {maxBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes allowed.");

    public static ModelServerException AnswerTooLarge(long maxBytes) =>
        new($"The model server sent an answer larger than the {maxBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes allowed.");

    public static ModelServerException WrongContent(string fileName, AssetFormat format) =>
        new($"The model server sent a file ({Clean(fileName)}) that is not a valid {format.Extension()} file.");

    /// <summary>The error text of an error answer: <c>{error, details}</c> (both protocols), problem details, or plain text.</summary>
    public static async Task<string?> ServerErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        byte[] body;
        try
        {
            // Buffered by the handler already, and cut at MaxErrorBytes.
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException)
        {
            return null;
        }

        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                var error = Text(json.RootElement, "error") ?? Text(json.RootElement, "title") ?? Text(json.RootElement, "message");
                var details = Text(json.RootElement, "details") ?? Text(json.RootElement, "detail");
                return Clean(error is null ? details : details is null || details == error ? error : $"{error}: {details}");
            }
        }
        catch (JsonException)
        {
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return mediaType is "text/plain" ? Clean(Encoding.UTF8.GetString(body)) : null;
    }

    /// <summary>
    /// Server text made fit for a job's error: one line, no control characters, no internal addresses (URLs, IP
    /// addresses, host:port become "[address]"), not too long.
    /// </summary>
    public static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = Address().Replace(text, "[address]");

        var builder = new StringBuilder(Math.Min(text.Length, MaxServerTextLength + 1));
        foreach (var c in text)
        {
            var next = char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c;
            if (next == ' ' && (builder.Length == 0 || builder[^1] == ' '))
            {
                continue;
            }

            builder.Append(next);
            if (builder.Length > MaxServerTextLength)
            {
                return builder.ToString(0, MaxServerTextLength - 3).TrimEnd() + "...";
            }
        }

        return builder.ToString().TrimEnd();
    }

    public static string Format(TimeSpan duration) => duration switch
    {
        { TotalMilliseconds: < 1000 } => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0} ms"),
        { TotalSeconds: < 120 } => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.#} s"),
        { TotalMinutes: < 120 } => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMinutes:0.#} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalHours:0.#} h"),
    };

    // A URL with a scheme, an IPv4 address (with or without a port), a bracketed IPv6 address, or host:port.
    [GeneratedRegex(@"\b[a-z][a-z0-9+.-]*://\S+|\[[0-9a-f:.]+\](:\d+)?|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b|\b[a-z0-9-]+(\.[a-z0-9-]+)*:\d{2,5}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Address();

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}
