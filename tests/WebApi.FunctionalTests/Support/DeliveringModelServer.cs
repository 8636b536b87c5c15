using System.Collections.Concurrent;
using System.Text.Json;
using CleanBackend.Infrastructure.IntegrationTests.Models;
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
/// A real HTTP model server on loopback speaking protocol v1 (docs/model-server-protocol.md) that finishes every
/// generation at once with a single file, mesh.glb: the bytes it was started with, whatever formats were asked for.
/// </summary>
public sealed class DeliveringModelServer : IAsyncDisposable
{
    public const string GlbName = "mesh.glb";

    private readonly WebApplication _app;
    private readonly byte[] _glb;
    private readonly ConcurrentQueue<string> _downloads = new();

    private DeliveringModelServer(WebApplication app, byte[] glb)
    {
        _app = app;
        _glb = glb;
    }

    public string Url => _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

    /// <summary>The generations whose glb was downloaded.</summary>
    public IReadOnlyList<string> Downloads => [.. _downloads];

    /// <summary>The settings of a service whose model server this is.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["ModelServer:Url"] = Url,
        ["ModelServer:Protocol"] = "v1",
        ["ModelServer:PollInterval"] = "50ms",
    };

    public static async Task<DeliveringModelServer> StartAsync(byte[] glb)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new DeliveringModelServer(app, glb);
        app.MapPost("/v1/generations", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            return Results.Json(server.Succeeded(body.RootElement.GetProperty("id").GetString()!), statusCode: StatusCodes.Status202Accepted);
        });
        app.MapGet("/v1/generations/{id}", (string id) => Results.Json(server.Succeeded(id)));
        app.MapGet("/v1/generations/{id}/files/" + GlbName, (string id) =>
        {
            server._downloads.Enqueue(id);
            return Results.Bytes(server._glb, "model/gltf-binary");
        });
        app.MapGet("/health", () => Results.Json(new { ok = true }));
        await app.StartAsync();
        return server;
    }

    /// <summary>A unit cube, red, as a glb of one node, one mesh, 12 triangles.</summary>
    public static byte[] RedCubeGlb()
    {
        float[] corners = [-0.5f, -0.5f, -0.5f, 0.5f, -0.5f, -0.5f, -0.5f, 0.5f, -0.5f, 0.5f, 0.5f, -0.5f, -0.5f, -0.5f, 0.5f, 0.5f, -0.5f, 0.5f, -0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f];
        int[] triangles = [0, 2, 3, 0, 3, 1, 4, 5, 7, 4, 7, 6, 0, 4, 6, 0, 6, 2, 1, 3, 7, 1, 7, 5, 0, 1, 5, 0, 5, 4, 2, 6, 7, 2, 7, 3];
        var json = """
            {"asset":{"version":"2.0","generator":"a remote model server"},"scene":0,"scenes":[{"nodes":[0]}],"nodes":[{"mesh":0,"name":"cube"}],
             "meshes":[{"primitives":[{"attributes":{"POSITION":0},"indices":1,"material":0}]}],
             "materials":[{"name":"red paint","pbrMetallicRoughness":{"baseColorFactor":[0.6,0.02,0.02,1],"metallicFactor":0,"roughnessFactor":0.7}}],
             "accessors":[{"bufferView":0,"componentType":5126,"count":8,"type":"VEC3","min":[-0.5,-0.5,-0.5],"max":[0.5,0.5,0.5]},
                          {"bufferView":1,"componentType":5123,"count":36,"type":"SCALAR"}],
             "bufferViews":[{"buffer":0,"byteLength":96,"target":34962},{"buffer":0,"byteOffset":96,"byteLength":72,"target":34963}],
             "buffers":[{"byteLength":168}]}
            """;
        return TestGlb.Build(json, [.. TestGlb.Floats(corners), .. TestGlb.Indices(5123, triangles)]);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Dictionary<string, object?> Succeeded(string id) => new()
    {
        ["id"] = id,
        ["status"] = "succeeded",
        ["progress"] = 100,
        ["error"] = null,
        ["files"] = new[] { new Dictionary<string, object> { ["name"] = GlbName, ["format"] = "glb", ["sizeBytes"] = _glb.Length } },
    };
}
