using System.Collections.Concurrent;
using System.Text.Json;
using CleanBackend.Cluster.Tests;
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
/// A real HTTP model server on loopback speaking the v1 protocol (docs/model-server-protocol.md): it keeps every
/// submitted body, says each generation has succeeded at once, and serves the files it was started with, whatever
/// formats were asked for (by default a one-triangle glb as mesh.glb and a two-triangle binary stl as mesh.stl).
/// </summary>
public sealed class FakeV1ModelServer : IAsyncDisposable
{
    public const string GlbName = "mesh.glb";

    /// <summary>A binary stl of two triangles: 84 + 2 × 50 bytes.</summary>
    public static readonly byte[] Stl = MakeStl(2);

    private readonly WebApplication _app;
    private readonly IReadOnlyList<File> _files;
    private readonly ConcurrentQueue<JsonElement> _submitted = new();
    private readonly ConcurrentQueue<string> _downloads = new();

    private FakeV1ModelServer(WebApplication app, IReadOnlyList<File> files)
    {
        _app = app;
        _files = files;
    }

    public static byte[] Glb => TriangleGlb.Bytes;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

    /// <summary>The bodies of POST /v1/generations, in the order they came.</summary>
    public IReadOnlyList<JsonElement> Submitted => [.. _submitted];

    /// <summary>The generations whose glb was downloaded.</summary>
    public IReadOnlyList<string> Downloads => [.. _downloads];

    /// <summary>The settings of a service whose model server this is.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["ModelServer:Url"] = Url,
        ["ModelServer:Protocol"] = "v1",
        ["ModelServer:PollInterval"] = "50ms",
    };

    /// <summary>A server delivering the one-triangle glb and the two-triangle stl.</summary>
    public static Task<FakeV1ModelServer> StartAsync() =>
        StartAsync([new File(GlbName, "glb", "model/gltf-binary", Glb), new File("mesh.stl", "stl", "model/stl", Stl)]);

    /// <summary>A server delivering only <paramref name="glb"/>, as mesh.glb.</summary>
    public static Task<FakeV1ModelServer> StartAsync(byte[] glb) => StartAsync([new File(GlbName, "glb", "model/gltf-binary", glb)]);

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

    private static async Task<FakeV1ModelServer> StartAsync(IReadOnlyList<File> files)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeV1ModelServer(app, files);
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
            files = files.Select(f => new { name = f.Name, format = f.Format, sizeBytes = f.Bytes.Length }),
        }));
        app.MapGet("/v1/generations/{id}/files/{name}", (string id, string name) =>
        {
            if (files.FirstOrDefault(f => f.Name == name) is not { } file)
            {
                return Results.NotFound();
            }

            if (file.Format == "glb")
            {
                server._downloads.Enqueue(id);
            }

            return Results.Bytes(file.Bytes, file.ContentType);
        });
        app.MapGet("/health", () => Results.Json(new { ok = true }));
        await app.StartAsync();
        return server;
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

    private sealed record File(string Name, string Format, string ContentType, byte[] Bytes);
}
