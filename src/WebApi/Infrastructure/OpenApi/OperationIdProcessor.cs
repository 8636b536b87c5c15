using Microsoft.AspNetCore.Routing;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace CleanBackend.WebApi.Infrastructure.OpenApi;

/// <summary>Operation ids are the routes' names (Name = "ListChats", WithName("GetMetrics")): the client's method names.</summary>
public sealed class OperationIdProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        var action = ((AspNetCoreOperationProcessorContext)context).ApiDescription.ActionDescriptor;
        var name = action.AttributeRouteInfo?.Name ?? action.EndpointMetadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName;
        if (name is not null)
        {
            context.OperationDescription.Operation.OperationId = name;
        }

        return true;
    }
}
