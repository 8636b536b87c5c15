using System.Collections.Concurrent;
using System.Text.Json;
using CleanBackend.Cluster.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>
/// A real HTTP model server on loopback speaking the v1 protocol: it keeps every submitted body, says each generation
/// has succeeded at once, and serves a one-triangle glb as mesh.glb and a two-triangle binary stl as mesh.stl.
/// </summary>
public sealed class FakeV1ModelServer : IAsyncDisposable
{
    /// <summary>A binary stl of two triangles: 84 + 2 × 50 bytes.</summary>
    public static readonly byte[] Stl = MakeStl(2);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonElement> _submitted = new();

    private FakeV1ModelServer(WebApplication app) => _app = app;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

    /// <summary>The bodies of POST /v1/generations, in the order they came.</summary>
    public IReadOnlyList<JsonElement> Submitted => [.. _submitted];

    public static byte[] Glb => TriangleGlb.Bytes;

    public static async Task<FakeV1ModelServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeV1ModelServer(app);
        app.MapPost("/v1/generations", async (HttpRequest request) =>
        {
            var body = (await JsonDocument.ParseAsync(request.Body)).RootElement.Clone();
            server._submitted.Enqueue(body);
            return Results.Json(new { id = body.GetProperty("id").GetString(), status = "queued" }, statusCode: StatusCodes.Status202Accepted);
        });
        app.MapGet("/v1/generations/{id}", (string id) => Results.Json(new
        {
            id,
            status = "succeeded",
            progress = 100,
            files = new object[]
            {
                new { name = "mesh.glb", format = "glb", sizeBytes = Glb.Length },
                new { name = "mesh.stl", format = "stl", sizeBytes = Stl.Length },
            },
        }));
        app.MapGet("/v1/generations/{id}/files/{name}", (string name) => name switch
        {
            "mesh.glb" => Results.Bytes(Glb, "model/gltf-binary"),
            "mesh.stl" => Results.Bytes(Stl, "model/stl"),
            _ => Results.NotFound(),
        });
        app.MapGet("/health", () => Results.Ok());
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static byte[] MakeStl(int triangles)
    {
        var bytes = new byte[84 + (50 * triangles)];
        "fake v1 model server"u8.CopyTo(bytes);
        BitConverter.GetBytes((uint)triangles).CopyTo(bytes, 80);
        for (var i = 84; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 13);
        }

        return bytes;
    }
}
