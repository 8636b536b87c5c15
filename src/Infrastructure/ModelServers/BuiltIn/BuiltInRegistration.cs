using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

internal static class BuiltInRegistration
{
    /// <summary>The built-in generator as the model server; it holds no state, so one instance serves every job.</summary>
    internal static IServiceCollection AddBuiltInModelServer(this IServiceCollection services)
    {
        services.AddSingleton<IModelServer, BuiltInModelServer>();
        return services;
    }
}
