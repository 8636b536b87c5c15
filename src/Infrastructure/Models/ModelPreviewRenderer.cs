using CleanBackend.Domain.Assets;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;

namespace CleanBackend.Infrastructure.Models;

/// <summary>
/// Previews of models made elsewhere: the file is read into a mesh and drawn by the built-in generator's renderer,
/// at its size, so every job's thumbnail looks alike whichever server made the model.
/// </summary>
internal sealed class ModelPreviewRenderer : IModelPreviewRenderer
{
    public IReadOnlyList<AssetFormat> Readable => ModelFiles.Readable;

    public async Task<byte[]> RenderPngAsync(Stream model, AssetFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var mesh = await ModelFiles.ReadAsync(model, format, cancellationToken);
        return await Task.Run(
            () =>
            {
                var pixels = PreviewRenderer.Render(mesh, BuiltInModelServer.PreviewSize);
                using var png = new MemoryStream();
                PngEncoder.Write(BuiltInModelServer.PreviewSize, BuiltInModelServer.PreviewSize, pixels, png);
                return png.ToArray();
            },
            cancellationToken);
    }
}
