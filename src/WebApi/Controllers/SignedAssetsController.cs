using CleanBackend.Application.Assets.Queries.DownloadSignedAsset;
using Microsoft.AspNetCore.Authorization;

namespace CleanBackend.WebApi.Controllers;

/// <summary>The seed's static asset URLs: <c>/assets/{key}?exp=…&amp;sig=…</c>, served only with a valid signature.</summary>
[Route("assets")]
[Tags("Assets")]
[AllowAnonymous]
public sealed class SignedAssetsController : ApiControllerBase
{
    /// <summary>A file behind a signed, expiring URL (as given in every asset's <c>url</c>); no Authorization header needed.</summary>
    [HttpGet("{**key}", Name = "DownloadSignedAsset")]
    [ProducesResponseType<Stream>(StatusCodes.Status200OK, "application/octet-stream")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Download(string key, [FromQuery] long exp, [FromQuery] string? sig, CancellationToken cancellationToken) =>
        AssetsController.Stream(await Mediator.Send(new DownloadSignedAssetQuery(key, exp, sig), cancellationToken), Request);
}
