using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace CleanBackend.WebApi.Infrastructure.OpenApi;

/// <summary>Declares the Bearer scheme (the JWT access token) that signed-in operations require.</summary>
public sealed class BearerSecuritySchemeProcessor : IDocumentProcessor
{
    public const string SchemeName = "Bearer";

    public void Process(DocumentProcessorContext context)
    {
        context.Document.SecurityDefinitions[SchemeName] = new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "The access token from /api/auth/login, /api/auth/register/verify or /api/auth/refresh.",
        };
    }
}
