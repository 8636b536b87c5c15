using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

public sealed class BuiltInModelServerTests : BuiltInTestBase
{
    public static TheoryData<string, GenerationQuality> Prompts => new()
    {
        { "a red cube", GenerationQuality.Standard },
        { "three blue spheres", GenerationQuality.Draft },
        { "a wooden table with four chairs", GenerationQuality.Standard },
        { "a snowman on the ground", GenerationQuality.Draft },
        { "a mysterious alien artifact", GenerationQuality.Standard },
        { "a red car and a tree next to a house", GenerationQuality.Standard },
        { "three red chairs around a wooden table", GenerationQuality.Draft },
        { "a tall yellow tower with a pyramid roof", GenerationQuality.Standard },
    };

    [Fact]
    public async Task Server_IsNamedBuiltInAndAlwaysHealthy()
    {
        Server.Name.ShouldBe("built-in");
        (await Server.IsHealthyAsync(CancellationToken.None)).ShouldBeTrue();
    }

    [Fact]
    public void Registration_AddsASingletonModelServer()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));

        services.AddBuiltInModelServer(asDefault: true);

        services.ShouldContain(d => d.ServiceType == typeof(IModelServer) && d.Lifetime == ServiceLifetime.Singleton);
        using var provider = services.BuildServiceProvider();
        var server = provider.GetRequiredService<IModelServer>();
        server.ShouldBeOfType<BuiltInModelServer>();
        provider.GetRequiredService<IModelServer>().ShouldBeSameAs(server);
        provider.GetRequiredKeyedService<IModelServer>(ModelServerKeys.BuiltIn).ShouldBeSameAs(server);
    }

    [Fact]
    public void Registration_BesideARemoteServer_AddsOnlyTheKeyedBuiltInGenerator()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));

        services.AddBuiltInModelServer(asDefault: false);

        using var provider = services.BuildServiceProvider();
        provider.GetService<IModelServer>().ShouldBeNull();
        provider.GetRequiredKeyedService<IModelServer>(ModelServerKeys.BuiltIn).ShouldBeOfType<BuiltInModelServer>();
    }

    [Fact]
    public async Task Generate_WritesEveryRequestedFormatTheMtlAndAPreview()
    {
        using var output = await Server.GenerateAsync(Request("a red cube"), new RecordingProgress(), CancellationToken.None);

        output.Files.Select(f => (f.FileName, f.Format)).ShouldBe(
        [
            ("model.glb", AssetFormat.Glb),
            ("model.obj", AssetFormat.Obj),
            ("model.mtl", AssetFormat.Mtl),
            ("model.ply", AssetFormat.Ply),
            ("preview.png", AssetFormat.Png),
        ]);
    }

    [Fact]
    public async Task Generate_WritesOnlyTheRequestedFormatsPlusThePreview()
    {
        using var output = await Server.GenerateAsync(Request("a red cube", formats: [AssetFormat.Ply]), new RecordingProgress(), CancellationToken.None);

        output.Files.Select(f => f.FileName).ShouldBe(["model.ply", "preview.png"]);
    }

    [Fact]
    public async Task Generate_WithNoFormats_WritesAGlb()
    {
        using var output = await Server.GenerateAsync(Request("a red cube", formats: []), new RecordingProgress(), CancellationToken.None);

        output.Files.Select(f => f.FileName).ShouldBe(["model.glb", "preview.png"]);
    }

    [Theory]
    [MemberData(nameof(Prompts))]
    public async Task Generate_EveryFileIsDetectedAsItsFormat(string prompt, GenerationQuality quality)
    {
        using var output = await Server.GenerateAsync(Request(prompt, quality: quality), new RecordingProgress(), CancellationToken.None);

        foreach (var file in output.Files)
        {
            var bytes = ReadAll(file.Open);
            AssetContent.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, AssetContent.HeadLength))).ShouldBe(file.Format, file.FileName);
            bytes.LongLength.ShouldBeLessThan(file.Format.MaxBytes(), file.FileName);
        }
    }

    [Theory]
    [MemberData(nameof(Prompts))]
    public async Task Generate_SamePromptAndSeed_GivesIdenticalBytes(string prompt, GenerationQuality quality)
    {
        var first = await GenerateBytesAsync(Request(prompt, seed: 7, quality: quality));
        var second = await GenerateBytesAsync(Request(prompt, seed: 7, quality: quality));

        second.Keys.ShouldBe(first.Keys);
        foreach (var (name, bytes) in first)
        {
            second[name].ShouldBe(bytes, name);
        }
    }

    [Fact]
    public async Task Generate_Fallback_DifferentSeed_GivesADifferentMesh()
    {
        var first = await GenerateBytesAsync(Request("an ancient dragon statue", seed: 1));
        var second = await GenerateBytesAsync(Request("an ancient dragon statue", seed: 2));

        second["model.glb"].ShouldNotBe(first["model.glb"]);
        second["model.obj"].ShouldNotBe(first["model.obj"]);
    }

    [Fact]
    public async Task Generate_Fallback_DifferentPromptSameSeed_GivesADifferentMesh()
    {
        var dragon = await GenerateBytesAsync(Request("an ancient dragon statue", seed: 1));
        var ship = await GenerateBytesAsync(Request("a rusty spaceship", seed: 1));

        ship["model.glb"].ShouldNotBe(dragon["model.glb"]);
    }

    [Fact]
    public async Task Generate_ReportsIncreasingProgressEndingAt100()
    {
        var progress = new RecordingProgress();

        using var output = await Server.GenerateAsync(Request("three blue spheres"), progress, CancellationToken.None);

        progress.Values.Count.ShouldBeGreaterThanOrEqualTo(4);
        progress.Values.Zip(progress.Values.Skip(1)).ShouldAllBe(pair => pair.Second > pair.First);
        progress.Values[0].ShouldBeGreaterThan(0);
        progress.Values[^1].ShouldBe(100);
    }

    [Fact]
    public async Task Generate_WhenAlreadyCanceled_ThrowsAndLeavesNoFolder()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => Server.GenerateAsync(Request("a red cube"), new RecordingProgress(), canceled.Token));

        LeftoverFolders().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(45)]
    [InlineData(95)]
    public async Task Generate_CanceledPartWay_ThrowsAndLeavesNoFolder(int cancelAtProgress)
    {
        using var cancel = new CancellationTokenSource();
        var progress = new RecordingProgress(value =>
        {
            if (value >= cancelAtProgress)
            {
                cancel.Cancel();
            }
        });

        await Should.ThrowAsync<OperationCanceledException>(() => Server.GenerateAsync(Request("a snowman"), progress, cancel.Token));

        progress.Values.ShouldNotContain(100);
        LeftoverFolders().ShouldBeEmpty();
    }

    [Fact]
    public async Task Dispose_RemovesTheTemporaryFolder()
    {
        var output = await Server.GenerateAsync(Request("a red cube"), new RecordingProgress(), CancellationToken.None);
        LeftoverFolders().ShouldHaveSingleItem();
        ReadAll(output.Files[0].Open).ShouldNotBeEmpty();

        output.Dispose();

        LeftoverFolders().ShouldBeEmpty();
        Should.Throw<IOException>(() => output.Files[0].Open().Dispose());
    }

    [Fact]
    public async Task Generate_ConcurrentJobs_UseSeparateFolders()
    {
        var outputs = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Server.GenerateAsync(Request("a red cube", seed: i), new RecordingProgress(), CancellationToken.None)));

        LeftoverFolders().Length.ShouldBe(4);
        foreach (var output in outputs)
        {
            output.Dispose();
        }

        LeftoverFolders().ShouldBeEmpty();
    }

    private string[] LeftoverFolders() => Directory.Exists(WorkRoot) ? Directory.GetDirectories(WorkRoot) : [];
}
