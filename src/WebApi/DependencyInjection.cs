using System.Text.Json;
using System.Text.Json.Serialization;
using CleanBackend.Infrastructure.Identity;
using CleanBackend.Application.Common.Options;
using CleanBackend.WebApi.Configuration;
using CleanBackend.WebApi.Controllers;
using CleanBackend.WebApi.Infrastructure;
using CleanBackend.WebApi.Infrastructure.OpenApi;
using CleanBackend.WebApi.Infrastructure.RateLimiting;
using CleanBackend.WebApi.Realtime;
using CleanBackend.WebApi.Services;
using CleanBackend.WebApi.Infrastructure.ApiKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using CleanBackend.Infrastructure.Redis;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CleanBackend.WebApi;

public static class DependencyInjection
{
    public const string CorsPolicy = "frontend";

    public static IServiceCollection AddWebApiServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ServerOptions>().Bind(configuration.GetSection(ServerOptions.SectionName)).ValidateOnStart();
        services.AddOptions<CorsOptions>().Bind(configuration.GetSection(CorsOptions.SectionName)).ValidateOnStart();
        services.AddOptions<AppOptions>().Bind(configuration.GetSection(AppOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerOptions>, HostOptionsValidator>();
        services.AddSingleton<IValidateOptions<CorsOptions>, HostOptionsValidator>();
        services.AddSingleton<IValidateOptions<AppOptions>, HostOptionsValidator>();

        AddDataProtection(services);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ServerOptions>>((forwarded, server) =>
        {
            // Behind a load balancer the client's address (rate limits, audit) comes from X-Forwarded-For, trusted
            // only from the proxies named in TRUSTED_PROXIES (loopback when unset).
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in server.Value.Proxies)
            {
                if (proxy.Contains('/', StringComparison.Ordinal))
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                }
                else
                {
                    forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
                }
            }
        });

        services.AddHttpContextAccessor();
        services.AddScoped<IUser, CurrentUser>();
        services.AddSingleton<ServiceStartTime>();

        services.AddControllers(options =>
            {
                // Required fields are the validators' business, with one wording for every missing value.
                options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;

                // JSON only: answers are application/json, errors application/problem+json.
                options.OutputFormatters.RemoveType<StringOutputFormatter>();
                options.OutputFormatters.RemoveType<HttpNoContentOutputFormatter>();
                foreach (var json in options.OutputFormatters.OfType<SystemTextJsonOutputFormatter>())
                {
                    json.SupportedMediaTypes.Remove("text/json");
                }
            })
            .AddJsonOptions(options => ConfigureJson(options.JsonSerializerOptions))
            .ConfigureApiBehaviorOptions(options => options.InvalidModelStateResponseFactory = ProblemDetailsSetup.InvalidModelState);
        services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));
        services.AddContractProblemDetails();
        services.AddContractOpenApi();

        AddAuthentication(services);
        services.AddSignalR().AddJsonProtocol(options => ConfigureJson(options.PayloadSerializerOptions));
        services.AddHostedService<EventsHubRelay>();
        services.AddContractRateLimiting(configuration);
        services.AddUsageLimits(configuration);

        services.AddCors(options => options.AddPolicy(CorsPolicy, _ => { }));
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<CorsOptions>>((cors, allowed) => cors.AddPolicy(CorsPolicy, policy =>
            {
                var origins = allowed.Value.Origins;
                if (origins.Contains("*"))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins(origins).AllowCredentials();
                }

                policy.AllowAnyHeader().AllowAnyMethod()
                    .WithExposedHeaders("X-Request-Id", "Retry-After", "ETag", "Content-Disposition", "Location", RateLimitFields.Policy, RateLimitFields.Current);
            }));

        // Bodies beyond the limit get a 413; uploads raise the limit on their own endpoint.
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>()
            .Configure<IOptions<ServerOptions>>((kestrel, server) => kestrel.Limits.MaxRequestBodySize = server.Value.MaxRequestBodyBytes);
        services.AddServiceMetrics(configuration);
        services.AddHostedService<StartupMemoryRelease>();
        return services;
    }

    /// <summary>
    /// Keys survive restarts and are the same on every instance: in Redis when the instances share one, else in the
    /// data folder (kept unencrypted on Linux, which deployments must protect). One application name for all
    /// instances, whatever folder each runs in.
    /// </summary>
    private static void AddDataProtection(IServiceCollection services)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("CleanBackend");
        if (services.Any(s => s.ServiceType == typeof(RedisConnection)))
        {
            services.AddOptions<KeyManagementOptions>().Configure<RedisConnection>((keys, redis) =>
                keys.XmlRepository = new RedisXmlRepository(() => redis.Multiplexer.GetDatabase(), redis.KeyPrefix + "data-protection-keys"));
        }
        else
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath("data/keys")));
        }
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }

    private static void AddAuthentication(IServiceCollection services)
    {
        // A request with an API key goes to the key scheme; any other (tokens included) to the JWT bearer as before,
        // at the cost of a look at two headers.
        services.AddAuthentication(ApiKeyAuthenticationHandler.SelectorSchemeName)
            .AddPolicyScheme(ApiKeyAuthenticationHandler.SelectorSchemeName, "Bearer token or API key", selector =>
                selector.ForwardDefaultSelector = context => ApiKeyAuthenticationHandler.PresentsKey(context.Request)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>, JwtSigningKey>((bearer, jwt, key) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidIssuer = jwt.Value.Issuer,
                    ValidateAudience = true,
                    ValidAudience = jwt.Value.Audience,
                    ValidateIssuerSigningKey = true,
                    IssuerSigningKey = key.Key,
                    ValidateLifetime = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = "sub",
                    RoleClaimType = TokenService.RoleClaim,
                };
                bearer.Events = new JwtBearerEvents
                {
                    // Browsers' EventSource and WebSocket clients cannot send headers: the live streams take the token in the query.
                    OnMessageReceived = context =>
                    {
                        var path = context.HttpContext.Request.Path;
                        if (context.Request.Query.TryGetValue("access_token", out var token)
                            && (path.StartsWithSegments("/api/events") || path.StartsWithSegments("/hubs")
                                || (path.StartsWithSegments("/api/jobs") && path.Value!.EndsWith("/events", StringComparison.Ordinal))))
                        {
                            context.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                    // A valid signature is not enough: the session, the user and their security stamp must still hold.
                    OnTokenValidated = async context =>
                    {
                        var validator = context.HttpContext.RequestServices.GetRequiredService<AccessTokenValidator>();
                        if (await validator.FindProblemAsync(context.Principal!, context.HttpContext.RequestAborted) is { } problem)
                        {
                            // The authentication result of a failure is not kept for later middleware: the reason is.
                            context.HttpContext.Items[AccessTokenRevokedException.ItemKey] = problem;
                            context.Fail(new AccessTokenRevokedException(problem));
                        }
                    },
                };
            });
        services.AddAuthorization();
        services.AddSingleton<IAuthorizationHandler, ApiKeyScopeAuthorizationHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemDetailsAuthorizationResultHandler>();
    }
}
