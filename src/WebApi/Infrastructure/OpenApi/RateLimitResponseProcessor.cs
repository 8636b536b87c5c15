using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Namotion.Reflection;
using NJsonSchema;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace CleanBackend.WebApi.Infrastructure.OpenApi;

/// <summary>
/// Every operation a rate limiter covers may answer 429 with problem details and Retry-After: all of them under the
/// global limiter, else those with a policy. The limiters configured decide, not whether limits are switched on here.
/// </summary>
public sealed class RateLimitResponseProcessor(IOptions<RateLimiterOptions> limiter) : IOperationProcessor
{
    public const string Status = "429";

    public bool Process(OperationProcessorContext context)
    {
        var metadata = ((AspNetCoreOperationProcessorContext)context).ApiDescription.ActionDescriptor.EndpointMetadata;
        var limited = !metadata.OfType<DisableRateLimitingAttribute>().Any()
            && (limiter.Value.GlobalLimiter is not null || metadata.OfType<EnableRateLimitingAttribute>().Any());
        var responses = context.OperationDescription.Operation.Responses;
        if (!limited || responses.ContainsKey(Status))
        {
            return true;
        }

        var problem = context.SchemaGenerator.GenerateWithReference<JsonSchema>(typeof(ProblemDetails).ToContextualType(), context.SchemaResolver);
        var response = new OpenApiResponse { Description = "Too Many Requests" };
        response.Content["application/problem+json"] = new OpenApiMediaType { Schema = problem };
        response.Headers["Retry-After"] = new OpenApiHeader
        {
            Description = "Seconds to wait before trying again.",
            Schema = new JsonSchema { Type = JsonObjectType.Integer },
        };
        responses[Status] = response;
        return true;
    }
}
