using Microsoft.AspNetCore.WebUtilities;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace CleanBackend.WebApi.Infrastructure.OpenApi;

/// <summary>
/// Each answer under the media types its [ProducesResponseType] or Produces names (problem details as
/// application/problem+json, event streams as text/event-stream, downloads as application/octet-stream), where
/// NSwag would list every answer as application/json; and each with its reason phrase as description.
/// </summary>
public sealed class ResponseMediaTypesProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        var responses = context.OperationDescription.Operation.Responses;
        foreach (var type in ((AspNetCoreOperationProcessorContext)context).ApiDescription.SupportedResponseTypes)
        {
            var status = type.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!responses.TryGetValue(status, out var response))
            {
                continue;
            }

            if (string.IsNullOrEmpty(response.Description))
            {
                response.Description = ReasonPhrases.GetReasonPhrase(type.StatusCode);
            }

            var schema = response.Content.Values.FirstOrDefault()?.Schema;
            var mediaTypes = type.ApiResponseFormats.Select(f => f.MediaType).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (schema is null || mediaTypes.Count == 0)
            {
                continue;
            }

            response.Content.Clear();
            foreach (var mediaType in mediaTypes)
            {
                response.Content[mediaType] = new OpenApiMediaType { Schema = schema };
            }
        }

        return true;
    }
}
