using Microsoft.AspNetCore.Mvc.ApiExplorer;

namespace CleanBackend.WebApi.Controllers.Legacy;

/// <summary>
/// The compatibility surface for the replaced backend's web app: its routes and bodies over the same use cases as
/// /api. It is not part of the /api OpenAPI document; its errors are JSON with an <c>error</c> string.
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
public abstract class LegacyControllerBase : ApiControllerBase;
