using CleanBackend.Application.Analytics.Common;
using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Behaviours;
using CleanBackend.Application.Common.Security;
using CleanBackend.Application.Jobs.Common;
using CleanBackend.Application.Usage.Common;
using CleanBackend.Application.Users.Common;
using CleanBackend.Application.Webhooks.Common;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.Application;

public static class DependencyInjection
{
    /// <param name="services">The container.</param>
    /// <param name="autoMapperLicenseKey">AUTOMAPPER_LICENSE_KEY; without it AutoMapper maps normally and logs a licence warning.</param>
    public static IServiceCollection AddApplicationServices(this IServiceCollection services, string? autoMapperLicenseKey = null)
    {
        var assembly = typeof(DependencyInjection).Assembly;

        services.AddAutoMapper(cfg => cfg.LicenseKey = autoMapperLicenseKey, assembly);

        // MediatR 5 has no container integration of its own: the factory, the mediator, then a scan.
        services.AddScoped<ServiceFactory>(sp => sp.GetRequiredService);
        services.AddScoped<IMediator, Mediator>();
        services.Scan(scan => scan
            .FromAssemblies(assembly)
            .AddClasses(c => c.AssignableTo(typeof(IRequestHandler<,>)), publicOnly: false)
            .AsImplementedInterfaces()
            .WithScopedLifetime()
            .AddClasses(c => c.AssignableTo(typeof(INotificationHandler<>)), publicOnly: false)
            .AsImplementedInterfaces()
            .WithScopedLifetime()
            // Validators hold only their rules: built once, not on every request.
            .AddClasses(c => c.AssignableTo(typeof(IValidator<>)), publicOnly: false)
            .AsImplementedInterfaces()
            .WithSingletonLifetime());

        // Order matters: the outermost behaviour is registered first.
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(UnhandledExceptionBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(LoggingBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(PerformanceBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));

        services.AddOptions<PerformanceOptions>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<SessionIssuer>();
        services.AddScoped<JobNotifications>();
        services.AddScoped<JobThumbnails>();
        services.AddScoped<AccountRemoval>();
        services.AddScoped<WebhookBodies>();
        services.AddScoped<CreditAccount>();
        services.AddScoped<UsageLimits>();
        services.AddScoped<UsageReport>();
        services.AddMemoryCache();
        services.AddOptions<AnalyticsOptions>();
        services.AddSingleton<AnalyticsCache>();
        return services;
    }
}
