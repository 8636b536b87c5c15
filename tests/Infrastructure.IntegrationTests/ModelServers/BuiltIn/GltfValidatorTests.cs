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
/// many prompts at both qualities and some with a target polycount. A missing validator fails the test: it must
/// never pass unchecked.
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
        "a red sphere on a blue cube",
        "three red chairs around a wooden table",
        "a tall yellow tower with a pyramid roof",
        "a red sphere under a blue cube",
        "a ball under a table",
        "a green cone beside a red cube",
        "a sphere behind a cube and a cone in front of it",
        "five cubes in a row",
        "a stack of three red boxes",
        "a small red cube on a large blue cube",
        "a house with a red roof next to a tall tree",
        "a blue car with black wheels",
        "a box with four wheels, a handle and a lid",
        "a tower with a red dome and a spire",
        "six spheres in a circle",
        "a table with a ball on it and four chairs",
    ];

    /// <summary>Prompts generated with a target polycount, whose finer and split meshes must validate too.</summary>
    private static readonly (string Prompt, int Target)[] Targeted =
    [
        ("a red cube", 100),
        ("a red sphere on a blue cube", 5000),
        ("a snowman", 20000),
        ("three red chairs around a wooden table", 3000),
    ];

    internal const string Script = "build/tools/validate-gltf.mjs";

    [Fact]
    public async Task Validator_ReportsNoErrorsOrWarningsForAnyPromptAtEitherQualityOrATarget()
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

        for (var i = 0; i < Targeted.Length; i++)
        {
            var name = $"t{i:00}-{Targeted[i].Target}.glb";
            var request = Request(Targeted[i].Prompt, seed: 2000 + i, formats: [AssetFormat.Glb]) with { TargetPolycount = Targeted[i].Target };
            await File.WriteAllBytesAsync(Path.Combine(folder, name), (await GenerateBytesAsync(request))["model.glb"]);
            expected.Add(name);
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
