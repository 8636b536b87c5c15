using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>
/// A real HTTP model server on loopback speaking the seed's shap-e protocol, which refuses every generation with a
/// final 400 <c>{error, details}</c>, as the original server does for a prompt it cannot take.
/// </summary>
public sealed class RejectingModelServer : IAsyncDisposable
{
    public const string Error = "Prompt rejected by the safety filter";

    private readonly WebApplication _app;

    private RejectingModelServer(WebApplication app) => _app = app;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

    public int Requests;

    public static async Task<RejectingModelServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new RejectingModelServer(app);
        app.MapPost("/generate3D", () =>
        {
            Interlocked.Increment(ref server.Requests);
            return Results.Json(new { error = Error, details = "the prompt names a weapon" }, statusCode: StatusCodes.Status400BadRequest);
        });
        app.MapGet("/health", () => Results.Json(new { ok = true, device = "cpu" }));
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
