using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using CleanBackend.Domain.Assets;
using CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;
using CleanBackend.Infrastructure.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanBackend.Infrastructure.IntegrationTests.Models;

/// <summary>
/// The glb a conversion writes from a glb made elsewhere (node transforms, mirroring, strips, materials, vertex colours,
/// no indices) passes the Khronos glTF validator (build/tools, installed by build/test.sh) with no errors or warnings.
/// </summary>
public sealed class ConvertedGlbValidatorTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cleanbackend-converted-" + Guid.NewGuid().ToString("N"));

    public static IEnumerable<(string Name, byte[] Glb)> Inputs =>
    [
        ("uint8-indices", TestGlb.Square(5121)),
        ("no-indices", TestGlb.Square(indexType: null)),
        ("turned-scaled-moved", TestGlb.Square(nodes: """[{"mesh":0,"translation":[10,0,0],"rotation":[0,0.70710677,0,0.70710677],"scale":[2,2,2]}]""")),
        ("mirrored", TestGlb.Square(nodes: """[{"mesh":0,"scale":[-1,1,1]}]""")),
        ("placed-twice", TestGlb.Square(nodes: """[{"mesh":0},{"mesh":0,"translation":[5,0,0]}]""", scenes: """[{"nodes":[0,1]}]""")),
        ("named-material", TestGlb.Square(materials: """[{"name":"shiny red!","pbrMetallicRoughness":{"baseColorFactor":[0.21404,0,1,1],"metallicFactor":0.25}}]""")),
    ];

    [Fact]
    public async Task ConvertedGlbs_PassTheValidator()
    {
        var root = RepositoryRoot.Find();
        Directory.Exists(Path.Combine(root, "build", "tools", "node_modules", "gltf-validator")).ShouldBeTrue(
            "build/tools/node_modules is missing: run `npm ci --prefix build/tools` (build/test.sh does this in CI).");
        Directory.CreateDirectory(_folder);
        var converter = new ModelConverter(NullLogger<ModelConverter>.Instance);
        foreach (var (name, glb) in Inputs)
        {
            using var output = await converter.ConvertAsync(new MemoryStream(glb), AssetFormat.Glb, name, CancellationToken.None);
            await using var converted = output.Files.Single().Open();
            await using var file = File.Create(Path.Combine(_folder, name + ".glb"));
            await converted.CopyToAsync(file);
        }

        var (exitCode, stdout, stderr) = await RunNodeAsync(root, "build/tools/validate-gltf.mjs", _folder);

        var reports = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        reports.Count.ShouldBe(Inputs.Count(), stdout + stderr);
        foreach (var report in reports)
        {
            var messages = report.GetProperty("messages").GetRawText();
            report.GetProperty("errors").GetInt32().ShouldBe(0, $"{report.GetProperty("file")}: {messages}");
            report.GetProperty("warnings").GetInt32().ShouldBe(0, $"{report.GetProperty("file")}: {messages}");
        }

        exitCode.ShouldBe(0, stderr);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunNodeAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException("node was not found: Node.js is needed to run the glTF validator.", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
