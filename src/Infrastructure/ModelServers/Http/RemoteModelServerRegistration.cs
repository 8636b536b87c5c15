using System.Net;
using CleanBackend.Infrastructure.ModelServers.ShapE;
using CleanBackend.Infrastructure.ModelServers.V1;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.Infrastructure.ModelServers.Http;

internal static class RemoteModelServerRegistration
{
    /// <summary>The named HttpClient of the model server.</summary>
    public const string HttpClientName = "ModelServer";

    /// <summary>The named HttpClient of health probes: one quick try, outside the circuit breaker.</summary>
    public const string ProbeClientName = "ModelServerProbe";

    /// <summary>A probe that takes longer than this counts as "unreachable"; health answers stay quick.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromMilliseconds(750);

    /// <summary>
    /// A remote model server (MODEL_SERVER_URL) as the <see cref="IModelServer"/>, speaking
    /// <see cref="ModelServerOptions.Protocol"/>; <paramref name="options"/> must be valid (see ModelServerOptionsValidator).
    /// </summary>
    /// <remarks>
    /// HttpClient lifetimes: the <see cref="IModelServer"/> is a singleton (the job worker keeps it), so it holds
    /// IHttpClientFactory, not an HttpClient, and asks it for a client per generation or probe. The factory pools
    /// and rotates the handler chains (so DNS changes of the server are followed), and those cheap clients share
    /// connections. The factory keeps one <see cref="ModelServerResilience"/> pipeline for the named client across its
    /// handler chains, so the circuit breaker sees every call to the server. Health probes go through a client of their
    /// own, without retries or breaker: a probe neither waits for the breaker nor helps to open it.
    /// </remarks>
    internal static void AddRemoteModelServer(this IServiceCollection services, ModelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Read lazily: ModelServerOptions' validation at start-up reports a bad setting first, by its name.
        services.AddSingleton(_ => ModelServerSettings.From(options));
        services.AddTransient<ModelServerAnswerHandler>();

        var modelServer = services.AddHttpClient(HttpClientName, (sp, client) =>
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

            // A v1 job polls every second: the factory's line per request would drown the log. Retries, the breaker
            // and each generation's start and end are logged by the pipeline and the clients.
            .RemoveAllLoggers();

        // Handlers nest in the order they are added: the pipeline runs each try through the answer handler.
        modelServer.AddResilienceHandler(ModelServerResilience.PipelineName, (pipeline, context) => ModelServerResilience.Configure(
            pipeline,
            context.ServiceProvider.GetRequiredService<ModelServerSettings>(),
            Time(context.ServiceProvider),
            context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ModelServerResilience))));
        modelServer.AddHttpMessageHandler<ModelServerAnswerHandler>();

        services.AddHttpClient(ProbeClientName, (sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<ModelServerSettings>().BaseAddress;
                client.Timeout = ProbeTimeout;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ConnectTimeout = ProbeTimeout, AutomaticDecompression = DecompressionMethods.All })
            .RemoveAllLoggers();

        services.AddSingleton<IModelServer>(sp => options.Protocol == ModelServerProtocols.ShapE
            ? ActivatorUtilities.CreateInstance<ShapEModelServerClient>(sp, Time(sp))
            : ActivatorUtilities.CreateInstance<V1ModelServerClient>(sp, Time(sp)));
    }

    private static TimeProvider Time(IServiceProvider services) => services.GetService<TimeProvider>() ?? TimeProvider.System;
}
