using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.Infrastructure.ModelServers.BuiltIn;

internal static class BuiltInRegistration
{
    /// <summary>
    /// The built-in generator, always as the <see cref="ModelServerKeys.BuiltIn"/> keyed service (test API keys' jobs
    /// run on it), and as the model server of every job when <paramref name="asDefault"/>. It holds no state, so one
    /// instance serves every job.
    /// </summary>
    internal static IServiceCollection AddBuiltInModelServer(this IServiceCollection services, bool asDefault)
    {
        services.AddKeyedSingleton<IModelServer, BuiltInModelServer>(ModelServerKeys.BuiltIn);
        if (asDefault)
        {
            services.AddSingleton(sp => sp.GetRequiredKeyedService<IModelServer>(ModelServerKeys.BuiltIn));
        }

        return services;
    }
}
