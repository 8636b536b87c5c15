using Microsoft.AspNetCore.Mvc.ModelBinding;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace CleanBackend.WebApi.Infrastructure.OpenApi;

/// <summary>
/// Form fields the action requires ([Required] IFormFile file) are required in the multipart body, which NSwag
/// leaves optional; the client's upload then takes the file as a parameter that must be given.
/// </summary>
public sealed class RequiredFormFieldsProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        var required = ((AspNetCoreOperationProcessorContext)context).ApiDescription.ParameterDescriptions
            .Where(p => (p.IsRequired || p.ModelMetadata?.IsRequired == true) && (p.Source == BindingSource.Form || p.Source == BindingSource.FormFile))
            .Select(p => p.Name)
            .ToList();
        var body = context.OperationDescription.Operation.RequestBody;
        if (required.Count == 0 || body is null)
        {
            return true;
        }

        body.IsRequired = true;
        foreach (var schema in body.Content.Values.Select(m => m.Schema?.ActualSchema).OfType<NJsonSchema.JsonSchema>())
        {
            foreach (var name in required.Where(schema.Properties.ContainsKey))
            {
                schema.Properties[name].IsNullableRaw = null;
                schema.RequiredProperties.Add(name);
            }
        }

        return true;
    }
}
