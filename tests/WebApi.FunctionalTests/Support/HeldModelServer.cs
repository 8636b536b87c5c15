using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Domain.Assets;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>
/// A model server that reports some progress and then holds the generation until a test lets it finish or the
/// generation is canceled: the way to catch a job while it runs.
/// </summary>
public sealed class HeldModelServer : IModelServer
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "held";

    public bool AcceptsImages => true;

    public int Canceled;

    public Task Started => _started.Task;

    public void Release() => _release.TrySetResult();

    public async Task<GenerationOutput> GenerateAsync(GenerationRequest request, IProgress<int> progress, CancellationToken cancellationToken)
    {
        progress.Report(30);
        _started.TrySetResult();
        try
        {
            await _release.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref Canceled);
            throw;
        }

        var glb = "glTF\u0002\0\0\0\u0010\0\0\0padding!"u8.ToArray();
        return new GenerationOutput([new GeneratedFile("model.glb", AssetFormat.Glb, () => new MemoryStream(glb))]);
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => Task.FromResult(true);
}
