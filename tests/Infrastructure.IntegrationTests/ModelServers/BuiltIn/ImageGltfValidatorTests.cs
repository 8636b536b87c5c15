using System.Text.Json;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using Xunit.Abstractions;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

/// <summary>
/// Runs the Khronos glTF validator over the glb of every test image (at both qualities, and at the smallest and a
/// large triangle target). A missing validator fails the test: it must never pass unchecked.
/// </summary>
public sealed class ImageGltfValidatorTests(ITestOutputHelper output) : ImageTestBase
{
    [Fact]
    public async Task Validator_ReportsNoErrorsOrWarningsForAnyImageModel()
    {
        var root = GltfValidatorTests.RequireValidator();
        var folder = Path.Combine(WorkRoot, "validate-images");
        Directory.CreateDirectory(folder);
        var requests = new List<(string Name, Application.Common.Interfaces.GenerationRequest Request)>();
        foreach (var (images, quality) in ImageGenerationTests.Images.Select(row => ((string)row[0], (GenerationQuality)row[1])))
        {
            requests.Add(($"{images.Replace(' ', '-')}-{quality.ToString().ToLowerInvariant()}.glb", ImageRequest(ImageGenerationTests.Named(images), quality: quality, formats: [AssetFormat.Glb])));
        }

        requests.Add(("photo-100.glb", ImageRequest(ImageGenerationTests.Named("photo jpg"), targetPolycount: 100, formats: [AssetFormat.Glb])));
        requests.Add(("two-views-100.glb", ImageRequest(ImageGenerationTests.Named("two views"), targetPolycount: 100, formats: [AssetFormat.Glb])));
        requests.Add(("mug-100000.glb", ImageRequest(ImageGenerationTests.Named("mug jpg"), targetPolycount: 100_000, formats: [AssetFormat.Glb])));
        foreach (var (name, request) in requests)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, name), (await GenerateBytesAsync(request))["model.glb"]);
        }

        var (exitCode, stdout, stderr) = await GltfValidatorTests.RunNodeAsync(root, GltfValidatorTests.Script, folder);

        output.WriteLine(stdout);
        output.WriteLine(stderr);
        var reports = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        reports.Select(r => Path.GetFileName(r.GetProperty("file").GetString())).Order(StringComparer.Ordinal)
            .ShouldBe(requests.Select(r => r.Name).Distinct().Order(StringComparer.Ordinal));
        foreach (var report in reports)
        {
            var messages = report.GetProperty("messages").GetRawText();
            report.GetProperty("errors").GetInt32().ShouldBe(0, $"{report.GetProperty("file")}: {messages}");
            report.GetProperty("warnings").GetInt32().ShouldBe(0, $"{report.GetProperty("file")}: {messages}");
        }

        exitCode.ShouldBe(0, stderr);
    }
}
