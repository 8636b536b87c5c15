using System.Net;
using CleanBackend.Infrastructure.ModelServers.ShapE;
using CleanBackend.Infrastructure.ModelServers.V1;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.Infrastructure.ModelServers.Http;

internal static class RemoteModelServerRegistration
{
    /// <summary>The named HttpClient of the model server.</summary>
    public const string HttpClientName = "ModelServer";

    /// <summary>
    /// A remote model server (MODEL_SERVER_URL) as the <see cref="IModelServer"/>, speaking
    /// <see cref="ModelServerOptions.Protocol"/>; <paramref name="options"/> must be valid (see ModelServerOptionsValidator).
    /// </summary>
    /// <remarks>
    /// HttpClient lifetimes: the <see cref="IModelServer"/> is a singleton (the job worker keeps it), so it holds
    /// IHttpClientFactory, not an HttpClient, and asks it for a client per generation or probe. The factory pools
    /// and rotates the handler chains (so DNS changes of the server are followed), and those cheap clients share
    /// connections. The resilience handler in each chain is transient, as the factory requires, but all of them run the
    /// one singleton <see cref="ModelServerResilience"/> pipeline: the circuit breaker sees every call to the server.
    /// </remarks>
    internal static void AddRemoteModelServer(this IServiceCollection services, ModelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Read lazily: ModelServerOptions' validation at start-up reports a bad setting first, by its name.
        services.AddSingleton(_ => ModelServerSettings.From(options));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ModelServerResilience>(sp, Time(sp)));
        services.AddTransient<ModelServerResilienceHandler>();

        services.AddHttpClient(HttpClientName, (sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<ModelServerSettings>().BaseAddress;

                // The pipeline times each try; the whole generation is bounded by GenerationTimeout.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectTimeout = sp.GetRequiredService<ModelServerSettings>().RequestTimeout,
                AutomaticDecompression = DecompressionMethods.All,
                MaxAutomaticRedirections = 5,
            })
            .AddHttpMessageHandler<ModelServerResilienceHandler>()

            // A v1 job polls every second: the factory's line per request would drown the log. Retries, the breaker
            // and each generation's start and end are logged by the pipeline and the clients.
            .RemoveAllLoggers();

        services.AddSingleton<IModelServer>(sp => options.Protocol == ModelServerProtocols.ShapE
            ? ActivatorUtilities.CreateInstance<ShapEModelServerClient>(sp, Time(sp))
            : ActivatorUtilities.CreateInstance<V1ModelServerClient>(sp, Time(sp)));
    }

    private static TimeProvider Time(IServiceProvider services) => services.GetService<TimeProvider>() ?? TimeProvider.System;
}
