using CleanBackend.Application.Analytics.Common;
using CleanBackend.Infrastructure.Email;
using CleanBackend.Infrastructure.Events;
using CleanBackend.Infrastructure.Jobs;
using CleanBackend.Infrastructure.Models;
using CleanBackend.Infrastructure.ModelServers;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;
using CleanBackend.Infrastructure.ModelServers.Http;
using CleanBackend.Infrastructure.HealthChecks;
using CleanBackend.Infrastructure.Identity;
using CleanBackend.Infrastructure.Images;
using CleanBackend.Infrastructure.Persistence;
using CleanBackend.Infrastructure.Persistence.Interceptors;
using CleanBackend.Infrastructure.Redis;
using CleanBackend.Infrastructure.Storage;
using CleanBackend.Infrastructure.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CleanBackend.Infrastructure;

public static class DependencyInjection
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddInfrastructureServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddOptions<JwtOptions>().Bind(configuration.GetSection(JwtOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        var redis = AddRedis(services, configuration);
        AddPersistence(services, configuration);
        AddIdentity(services, configuration, redis);

        services.AddSingleton<IFileStorage, LocalFileStorage>();
        services.AddSingleton<IAssetUrlSigner, AssetUrlSigner>();
        services.AddSingleton<IImageInspector, SkiaImageInspector>();
        services.AddEmail(configuration);

        AddGeneration(services, configuration, redis);
        AddWebhooks(services, configuration);

        var health = services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name, tags: [ReadyTag])
            .AddCheck<StorageHealthCheck>(StorageHealthCheck.Name)
            .AddCheck<ModelServerHealthCheck>(ModelServerHealthCheck.Name, failureStatus: HealthStatus.Degraded, timeout: TimeSpan.FromSeconds(1));
        if (redis)
        {
            health.AddCheck<RedisHealthCheck>(RedisHealthCheck.Name);
        }

        return services;
    }

    /// <summary>The shared Redis connection when one is configured; whether it is.</summary>
    private static bool AddRedis(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>();
        var redis = configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        if (!redis.IsConfigured)
        {
            return false;
        }

        services.AddSingleton<RedisConnection>();
        services.AddHostedService<SharedChannelsStartup>();
        return true;
    }

    private static void AddGeneration(IServiceCollection services, IConfiguration configuration, bool redis)
    {
        services.AddOptions<JobQueueOptions>().Bind(configuration.GetSection(JobQueueOptions.SectionName))
            .PostConfigure<IOptions<ModelServerOptions>>((jobs, server) =>
                jobs.Concurrency ??= server.Value.IsBuiltIn ? JobQueueOptions.BuiltInConcurrency : JobQueueOptions.RemoteServerConcurrency)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobQueueOptions>, JobQueueOptionsValidator>();
        services.AddOptions<ModelServerOptions>().Bind(configuration.GetSection(ModelServerOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModelServerOptions>, ModelServerOptionsValidator>();

        // No MODEL_SERVER_URL: the built-in generator; else the HTTP client of the configured protocol. The built-in
        // generator is there either way, for the jobs of test API keys.
        var modelServer = configuration.GetSection(ModelServerOptions.SectionName).Get<ModelServerOptions>() ?? new ModelServerOptions();
        services.AddBuiltInModelServer(asDefault: modelServer.IsBuiltIn);
        if (!modelServer.IsBuiltIn)
        {
            services.AddRemoteModelServer(modelServer);
        }

        // Previews and conversions of the models whichever server made them.
        services.AddSingleton<IModelPreviewRenderer, ModelPreviewRenderer>();
        services.AddSingleton<IModelConverter, ModelConverter>();

        services.AddSingleton<InMemoryJobEventBus>();
        if (redis)
        {
            services.AddSingleton<IJobEventBus, RedisJobEventBus>();
        }
        else
        {
            services.AddSingleton<IJobEventBus>(sp => sp.GetRequiredService<InMemoryJobEventBus>());
        }

        services.AddHostedService<AnalyticsInvalidation>();
        services.AddOptions<AnalyticsOptions>().Bind(configuration.GetSection(AnalyticsOptions.SectionName));
        services.AddSingleton<GenerationWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<GenerationWorker>());
    }

    private static void AddWebhooks(IServiceCollection services, IConfiguration configuration)
    {
        // Plain http and private networks are for development; elsewhere they must be asked for.
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName))
            .PostConfigure<IHostEnvironment>((webhooks, environment) =>
            {
                webhooks.AllowHttp ??= environment.IsDevelopment();
                webhooks.AllowPrivateNetworks ??= environment.IsDevelopment();
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.AddDataProtection();
        services.AddSingleton<IWebhookSecretProtector, WebhookSecretProtector>();
        services.AddSingleton<IWebhookUrlGuard, WebhookUrlGuard>();
        services.AddHostedService<WebhookDispatcher>();
    }

    private static void AddPersistence(IServiceCollection services, IConfiguration configuration)
    {
        // The provider decides which context type, and so which migrations, the service runs on.
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = database.EffectiveConnectionString;

        // Pooled contexts: a request takes a reset context instead of building one (options, services, model lookup).
        switch (database.NormalizedProvider)
        {
            case DatabaseProvider.SqlServer:
                services.AddDbContextPool<SqlServerApplicationDbContext>(o => o.UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure()));
                services.AddScoped<ApplicationDbContext>(sp => sp.GetRequiredService<SqlServerApplicationDbContext>());
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContextPool<PostgresApplicationDbContext>(o => o.UseNpgsql(connectionString));
                services.AddScoped<ApplicationDbContext>(sp => sp.GetRequiredService<PostgresApplicationDbContext>());
                break;
            default:
                services.AddDbContextPool<SqliteApplicationDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(SqliteConnectionSettingsInterceptor.Instance));
                services.AddScoped<ApplicationDbContext>(sp => sp.GetRequiredService<SqliteApplicationDbContext>());
                break;
        }

        services.AddScoped<IApplicationDbContext>(sp => sp.GetRequiredService<ApplicationDbContext>());
        services.AddSingleton<ListQueries.Compiled>();
        services.AddScoped<IListQueries, ListQueries>();
        services.AddScoped<DatabaseInitialiser>();
        services.AddSingleton<DatabaseReadiness>();
        services.AddHostedService<DatabaseInitialisationService>();
    }

    private static void AddIdentity(IServiceCollection services, IConfiguration configuration, bool redis)
    {
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services
            .AddIdentityCore<ApplicationUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = true;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<ApplicationRole>()
            .AddEntityFrameworkStores<ApplicationDbContext>();

        services.AddSingleton<JwtSigningKey>();
        services.AddSingleton<ITokenService, TokenService>();
        services.AddScoped<IIdentityService, IdentityService>();
        services.AddMemoryCache();
        services.AddSingleton<AccessTokenValidator>();
        if (redis)
        {
            services.AddSingleton<ITokenStateCache, SharedTokenStateCache>();
        }
        else
        {
            services.AddSingleton<ITokenStateCache>(sp => sp.GetRequiredService<AccessTokenValidator>());
        }

        services.AddHostedService<ExpiredTokenCleanupService>();
        services.AddSingleton<ApiKeyUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyUsage>());
    }
}
