namespace CleanBackend.Infrastructure.Metrics;

/// <summary>Counts the generations the model server fails; a generation canceled by its caller is no failure.</summary>
public sealed class MeteredModelServer(IModelServer inner, GenerationMetrics metrics) : IModelServer
{
    public string Name => inner.Name;

    public bool AcceptsImages => inner.AcceptsImages;

    public async Task<GenerationOutput> GenerateAsync(GenerationRequest request, IProgress<int> progress, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.GenerateAsync(request, progress, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics.ModelServerFailed(inner.Name);
            throw;
        }
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => inner.IsHealthyAsync(cancellationToken);
}
