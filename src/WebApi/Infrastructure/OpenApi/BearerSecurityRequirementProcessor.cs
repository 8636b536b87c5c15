using Microsoft.AspNetCore.Authorization;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace CleanBackend.WebApi.Infrastructure.OpenApi;

/// <summary>Operations that need a signed-in caller say so, which gives Swagger UI its padlocks and the client its headers.</summary>
public sealed class BearerSecurityRequirementProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        var metadata = ((AspNetCoreOperationProcessorContext)context).ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            var operation = context.OperationDescription.Operation;
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [BearerSecuritySchemeProcessor.SchemeName] = [] });
        }

        return true;
    }
}
