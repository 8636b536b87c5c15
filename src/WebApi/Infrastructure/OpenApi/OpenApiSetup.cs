using CleanBackend.WebApi.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using NJsonSchema;
using NJsonSchema.Generation.TypeMappers;

namespace CleanBackend.WebApi.Infrastructure.OpenApi;

/// <summary>The OpenAPI document (NSwag) at /openapi/v1.json, and Swagger UI at /api-docs.</summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";

    private const string DocumentPath = "/openapi/{documentName}.json";

    private const string SwaggerUiPath = "/api-docs";

    public static IServiceCollection AddContractOpenApi(this IServiceCollection services)
    {
        // Controllers bring MVC's API explorer; the minimal APIs (/metrics) need the endpoints' one too.
        services.AddEndpointsApiExplorer();
        services.AddOpenApiDocument((settings, provider) =>
        {
            settings.DocumentName = DocumentName;
            settings.Title = "CleanBackend API";
            settings.Version = "v1";
            settings.Description = "Text-to-3D generation: accounts, chats, generation jobs with live progress, assets, admin and analytics.";
            // Downloads are bytes, under a schema of their own as before.
            settings.SchemaSettings.TypeMappers.Add(new ObjectTypeMapper(typeof(Stream), new JsonSchema { Type = JsonObjectType.String, Format = "binary" }));
            settings.SchemaSettings.SchemaProcessors.Add(new RequiredPropertiesProcessor());
            settings.DocumentProcessors.Add(new BearerSecuritySchemeProcessor());
            settings.OperationProcessors.Add(new OperationIdProcessor());
            settings.OperationProcessors.Add(new ResponseMediaTypesProcessor());
            settings.OperationProcessors.Add(new RequiredFormFieldsProcessor());
            settings.OperationProcessors.Add(new BearerSecurityRequirementProcessor());
            settings.OperationProcessors.Add(new RateLimitResponseProcessor(provider.GetRequiredService<IOptions<RateLimiterOptions>>()));
            // After the 429 is added, so it carries the fields too.
            settings.OperationProcessors.Add(new UsageLimitHeadersProcessor());
        });
        return services;
    }

    public static WebApplication UseContractOpenApi(this WebApplication app)
    {
        // NSwag's middleware, and the schema libraries it loads, is built by the first request for the document or
        // Swagger UI rather than at start-up: an instance nobody asks for its documentation stays some 3 MB smaller.
        var documentation = new Lazy<RequestDelegate>(() => ((IApplicationBuilder)app).New()
            .UseOpenApi(options => options.Path = DocumentPath)
            .UseSwaggerUi(options =>
            {
                options.Path = SwaggerUiPath;
                options.DocumentPath = DocumentPath;
                options.DocumentTitle = "CleanBackend API";
                options.PersistAuthorization = true;
            })
            .Build());
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/openapi") || context.Request.Path.StartsWithSegments(SwaggerUiPath),
            branch => branch.Run(context => documentation.Value(context)));
        return app;
    }
}
