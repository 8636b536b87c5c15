using System.Text.Json;

namespace CleanBackend.WebApi.Infrastructure.RateLimiting;

/// <summary>
/// For endpoints marked [RateLimitByEmail], reads the <c>email</c> of the JSON body (and puts the body back)
/// so the rate limiter can count requests per address. A body that is not JSON is left to model binding.
/// </summary>
public sealed class RateLimitEmailMiddleware(RequestDelegate next)
{
    private const int MaxBytesRead = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RateLimitByEmailAttribute>() is not null
            && context.Request.ContentLength is > 0 and <= MaxBytesRead)
        {
            context.Request.EnableBuffering(MaxBytesRead);
            var body = await ReadAsync(context.Request.Body, context.RequestAborted);
            context.Request.Body.Position = 0;
            if (TryReadEmail(body) is { } email)
            {
                context.Items[RateLimitingSetup.EmailItem] = email;
            }
        }

        await next(context);
    }

    private static async Task<byte[]> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }

    private static string? TryReadEmail(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            // Model binding matches names without regard to case, so the limit must too.
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.Equals("email", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                {
                    return property.Value.GetString()!.Trim().ToLowerInvariant();
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
