using CleanBackend.WebApi.Infrastructure.RateLimiting;
using NJsonSchema;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace CleanBackend.WebApi.Infrastructure.OpenApi;

/// <summary>Every answer of an operation under the per-user usage limits carries the RateLimit-Policy and RateLimit fields.</summary>
public sealed class UsageLimitHeadersProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        var metadata = ((AspNetCoreOperationProcessorContext)context).ApiDescription.ActionDescriptor.EndpointMetadata;
        if (!metadata.OfType<UsageLimitAttribute>().Any())
        {
            return true;
        }

        foreach (var response in context.OperationDescription.Operation.Responses.Values)
        {
            response.Headers[RateLimitFields.Policy] = new OpenApiHeader
            {
                Description = "The limits of the route: \"name\";q=quota;w=window seconds (draft-ietf-httpapi-ratelimit-headers).",
                Schema = new JsonSchema { Type = JsonObjectType.String },
            };
            response.Headers[RateLimitFields.Current] = new OpenApiHeader
            {
                Description = "What remains of each: \"name\";r=remaining;t=seconds until the window resets.",
                Schema = new JsonSchema { Type = JsonObjectType.String },
            };
        }

        return true;
    }
}
