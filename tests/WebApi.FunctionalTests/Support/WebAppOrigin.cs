using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>
/// The web app's own origin: a loopback server that answers every path with one HTML page, so the page's calls to
/// the service (on another port) are real cross-origin requests with preflights, as in a deployment.
/// </summary>
public sealed class WebAppOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebAppOrigin(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The origin, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash, as ALLOWED_ORIGINS lists it).</summary>
    public string Url { get; }

    public static async Task<WebAppOrigin> StartAsync(string pageFile)
    {
        var page = await File.ReadAllBytesAsync(pageFile);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(async context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.Body.WriteAsync(page);
        });
        await app.StartAsync();
        return new WebAppOrigin(app, app.Urls.Single());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public static class LoopbackPort
{
    /// <summary>A port free right now on 127.0.0.1, for a server whose own settings must name its address before it starts.</summary>
    public static int Free()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
