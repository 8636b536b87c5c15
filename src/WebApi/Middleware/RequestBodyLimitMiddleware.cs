using CleanBackend.WebApi.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace CleanBackend.WebApi.Middleware;

/// <summary>
/// Refuses a body larger than its endpoint allows (uploads set their own limit with [RequestSizeLimit]) before
/// anything reads it: at once when Content-Length says so, and through the server's own limit for chunked bodies.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<ServerOptions> options, IProblemDetailsService problemDetails)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? options.Value.MaxRequestBodyBytes;

        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problemDetails.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "Payload Too Large",
                    Detail = $"The request body is larger than {limit} bytes.",
                },
            });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);
    }
}
