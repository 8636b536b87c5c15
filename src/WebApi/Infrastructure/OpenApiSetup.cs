using CleanBackend.Application.Common.Interfaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace CleanBackend.WebApi.Infrastructure;

/// <summary>The OpenAPI document at /openapi/v1.json with the Bearer scheme, and Swagger UI at /api-docs.</summary>
public static class OpenApiSetup
{
    private const string SchemeName = "Bearer";

    public static IServiceCollection AddContractOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "CleanBackend API",
                    Version = "v1",
                    Description = "Text-to-3D generation: accounts, chats, generation jobs with live progress, assets, admin and analytics.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "The access token from /api/auth/login, /api/auth/register/verify or /api/auth/refresh.",
                };
                return Task.CompletedTask;
            });

            // Answer DTOs are always written whole (null where empty), so every property is required; the
            // generated client then types them as present (id: string) rather than optional (id?: string).
            options.AddSchemaTransformer((schema, context, _) =>
            {
                var type = context.JsonTypeInfo.Type;
                if (type.Assembly == typeof(IApplicationDbContext).Assembly && type.Name.EndsWith("Dto", StringComparison.Ordinal)
                    && schema.Properties is { Count: > 0 } properties)
                {
                    schema.Required = new SortedSet<string>(properties.Keys, StringComparer.Ordinal);
                }

                return Task.CompletedTask;
            });

            // Operations that need a signed-in caller say so, which gives Swagger UI's padlocks and the client its headers.
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [],
                    });
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static WebApplication UseContractOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "api-docs";
            options.SwaggerEndpoint("/openapi/v1.json", "CleanBackend API v1");
            options.DocumentTitle = "CleanBackend API";
            options.EnablePersistAuthorization();
        });
        return app;
    }
}
