using System.Buffers.Binary;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using Xunit.Abstractions;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

/// <summary>
/// Runs the Khronos glTF validator (build/tools, installed by build/test.sh with npm ci) over the glb of
/// many prompts at both qualities. A missing validator fails the test: it must never pass unchecked.
/// </summary>
public sealed class GltfValidatorTests(ITestOutputHelper output) : BuiltInTestBase
{
    private static readonly string[] Prompts =
    [
        "a red cube",
        "three blue spheres",
        "a tall green cylinder",
        "two small yellow cones",
        "a large gold pyramid",
        "a pink donut",
        "5 purple tori",
        "a flat gray plane",
        "a wooden table with four chairs",
        "a tree",
        "a blue house",
        "a snowman",
        "a red car on the floor",
        "ten silver balls",
        "a dozen orange cubes",
        "a cube, a sphere, a cylinder, a cone, a pyramid and a torus on the ground",
        "a mysterious alien artifact",
        "three small dark green dragons",
    ];

    internal const string Script = "build/tools/validate-gltf.mjs";

    [Fact]
    public async Task Validator_ReportsNoErrorsOrWarningsForAnyPromptAtEitherQuality()
    {
        var root = RequireValidator();
        var folder = Path.Combine(WorkRoot, "validate");
        Directory.CreateDirectory(folder);
        var expected = new List<string>();
        for (var i = 0; i < Prompts.Length; i++)
        {
            foreach (var quality in new[] { GenerationQuality.Draft, GenerationQuality.Standard })
            {
                var name = $"p{i:00}-{quality.ToString().ToLowerInvariant()}.glb";
                var files = await GenerateBytesAsync(Request(Prompts[i], seed: 1000 + i, quality: quality, formats: [AssetFormat.Glb]));
                await File.WriteAllBytesAsync(Path.Combine(folder, name), files["model.glb"]);
                expected.Add(name);
            }
        }

        var (exitCode, stdout, stderr) = await RunNodeAsync(root, Script, folder);

        output.WriteLine(stdout);
        output.WriteLine(stderr);
        var reports = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        reports.Select(r => Path.GetFileName(r.GetProperty("file").GetString())).Order(StringComparer.Ordinal).ShouldBe(expected.Order(StringComparer.Ordinal));
        foreach (var report in reports)
        {
            var messages = report.GetProperty("messages").GetRawText();
            report.GetProperty("errors").GetInt32().ShouldBe(0, $"{report.GetProperty("file")}: {messages}");
            report.GetProperty("warnings").GetInt32().ShouldBe(0, $"{report.GetProperty("file")}: {messages}");
        }

        exitCode.ShouldBe(0, stderr);
    }

    /// <summary>The check itself works: a glb whose first vertex lies outside its declared bounds fails it.</summary>
    [Fact]
    public async Task Validator_FailsAGlbWithAVertexOutsideItsDeclaredBounds()
    {
        var root = RequireValidator();
        var glb = (await GenerateBytesAsync(Request("a red cube", formats: [AssetFormat.Glb])))["model.glb"];
        var binData = 20 + BinaryPrimitives.ReadInt32LittleEndian(glb.AsSpan(12)) + 8;
        BinaryPrimitives.WriteSingleLittleEndian(glb.AsSpan(binData), 1000f);
        var file = Path.Combine(WorkRoot, "broken.glb");
        Directory.CreateDirectory(WorkRoot);
        await File.WriteAllBytesAsync(file, glb);

        var (exitCode, stdout, _) = await RunNodeAsync(root, Script, file);

        exitCode.ShouldBe(1);
        JsonDocument.Parse(stdout).RootElement.GetProperty("errors").GetInt32().ShouldBeGreaterThan(0, stdout);
    }

    /// <summary>The repository root, failing (never skipping) when the validator is not installed.</summary>
    internal static string RequireValidator()
    {
        var root = RepositoryRoot.Find();
        Directory.Exists(Path.Combine(root, "build", "tools", "node_modules", "gltf-validator")).ShouldBeTrue(
            "build/tools/node_modules is missing: run `npm ci --prefix build/tools` (build/test.sh does this in CI).");
        return root;
    }

    internal static async Task<(int ExitCode, string Stdout, string Stderr)> RunNodeAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = StartNode(start);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static Process StartNode(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException("node was not found: Node.js is needed to run the glTF validator.", ex);
        }
    }
}
