using System.Reflection;
using System.Text.Json.Serialization;
using CleanBackend.Application.Common.Interfaces;
using NJsonSchema.Generation;

namespace CleanBackend.WebApi.Infrastructure.OpenApi;

/// <summary>
/// Required properties, so the generated client types them as present (id: string) rather than optional (id?: string):
/// every property of an answer DTO, which is always written whole (null where empty), and the parameters without a
/// default of the constructor JSON binds (records' positional properties), which every request and answer carries.
/// </summary>
public sealed class RequiredPropertiesProcessor : ISchemaProcessor
{
    public void Process(SchemaProcessorContext context)
    {
        var type = context.ContextualType.Type;
        var schema = context.Schema;
        if (schema.Properties.Count == 0)
        {
            return;
        }

        var required = type.Assembly == typeof(IApplicationDbContext).Assembly && type.Name.EndsWith("Dto", StringComparison.Ordinal)
            ? schema.Properties.Keys
            : BoundConstructor(type)?.GetParameters()
                .Where(p => !p.HasDefaultValue)
                .Select(p => schema.Properties.Keys.FirstOrDefault(k => string.Equals(k, p.Name, StringComparison.OrdinalIgnoreCase)))
                .OfType<string>() ?? [];
        foreach (var property in required.Where(p => !schema.RequiredProperties.Contains(p)).Order(StringComparer.Ordinal).ToList())
        {
            schema.RequiredProperties.Add(property);
        }
    }

    /// <summary>The constructor System.Text.Json deserializes with: the [JsonConstructor] one, else the only public one.</summary>
    private static ConstructorInfo? BoundConstructor(Type type)
    {
        var constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        return constructors.FirstOrDefault(c => c.IsDefined(typeof(JsonConstructorAttribute), inherit: false))
            ?? (constructors.Length == 1 ? constructors[0] : null);
    }
}
