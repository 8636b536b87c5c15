using CleanBackend.Domain.ApiKeys;
using CleanBackend.WebApi.Infrastructure.ApiKeys;
using CleanBackend.Application.Usage.Common;
using CleanBackend.WebApi.Infrastructure.RateLimiting;
using System.ComponentModel.DataAnnotations;
using CleanBackend.Application.Assets.Commands.DeleteAsset;
using CleanBackend.Application.Assets.Commands.UploadAsset;
using CleanBackend.Application.Assets.Common;
using CleanBackend.Application.Assets.Queries.DownloadAsset;
using CleanBackend.Application.Assets.Queries.GetAsset;
using CleanBackend.Application.Assets.Queries.GetAssets;
using CleanBackend.Application.Common.Models;
using CleanBackend.Domain.Assets;
using Microsoft.Net.Http.Headers;

namespace CleanBackend.WebApi.Controllers;

[Route("api/assets")]
[Tags("Assets")]
public sealed class AssetsController : ApiControllerBase
{
    /// <summary>Multipart overhead on top of the largest file.</summary>
    private const long UploadLimit = AssetFormats.MaxModelBytes + (64 * 1024);

    /// <summary>The caller's assets, newest first, optionally of one job or format.</summary>
    [HttpGet(Name = "ListAssets")]
    [ApiKeyScope(ApiKeyScopes.AssetsRead)]
    [ProducesResponseType<PaginatedList<AssetDto>>(StatusCodes.Status200OK)]
    public Task<PaginatedList<AssetDto>> List(int page = 1, int limit = PageRequestRules.DefaultLimit, Guid? jobId = null, string? format = null, CancellationToken cancellationToken = default) =>
        Mediator.Send(new GetAssetsQuery(page, limit, jobId, format), cancellationToken);

    /// <summary>Uploads an image (png, jpg, webp; 10 MB) or a model (glb, obj, ply; 50 MB); the format is read from the content.</summary>
    [HttpPost(Name = "UploadAsset")]
    [ApiKeyScope(ApiKeyScopes.AssetsWrite)]
    [UsageLimit(UsageLimitNames.Creation)]
    [RequestSizeLimit(UploadLimit)]
    [RequestFormLimits(MultipartBodyLengthLimit = UploadLimit)]
    [ProducesResponseType<AssetDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<ActionResult<AssetDto>> Upload([Required] IFormFile file, CancellationToken cancellationToken)
    {
        await using var content = file.OpenReadStream();
        var asset = await Mediator.Send(new UploadAssetCommand(content, file.FileName), cancellationToken);
        return CreatedAtRoute("GetAsset", new { id = asset.Id }, asset);
    }

    [HttpGet("{id:guid}", Name = "GetAsset")]

    [ApiKeyScope(ApiKeyScopes.AssetsRead)]
    [ProducesResponseType<AssetDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<AssetDto> Get(Guid id, CancellationToken cancellationToken) =>
        Mediator.Send(new GetAssetQuery(id), cancellationToken);

    /// <summary>The file, streamed, with ETag (If-None-Match gives 304) and Range support (206).</summary>
    [HttpGet("{id:guid}/download", Name = "DownloadAsset")]
    [ApiKeyScope(ApiKeyScopes.AssetsRead)]
    [ProducesResponseType<Stream>(StatusCodes.Status200OK, "application/octet-stream")]
    [ProducesResponseType(StatusCodes.Status206PartialContent)]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Download(Guid id, CancellationToken cancellationToken) =>
        Stream(await Mediator.Send(new DownloadAssetQuery(id), cancellationToken), Request);

    [HttpDelete("{id:guid}", Name = "DeleteAsset")]

    [ApiKeyScope(ApiKeyScopes.AssetsWrite)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        await Mediator.Send(new DeleteAssetCommand(id), cancellationToken);
        return NoContent();
    }

    /// <summary>Streams a stored file the way browsers and 3D viewers expect: ETag, Last-Modified, ranges.</summary>
    internal static FileStreamResult Stream(AssetFile file, HttpRequest request) =>
        new(file.Content, file.ContentType)
        {
            FileDownloadName = file.FileName,
            EntityTag = new EntityTagHeaderValue($"\"{file.Sha256}\""),
            LastModified = file.CreatedAt,

            // RFC 9110 (14.2): a Range in a unit other than bytes is ignored, and the whole file is the answer.
            EnableRangeProcessing = request.GetTypedHeaders().Range is not { } range || range.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase),
        };
}
