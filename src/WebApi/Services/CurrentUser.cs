using CleanBackend.Infrastructure.Identity;

namespace CleanBackend.WebApi.Services;

/// <summary>The caller of the current HTTP request, read from its access token.</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor) : IUser
{
    public Guid? Id => Guid.TryParse(accessor.HttpContext?.User.FindFirst("sub")?.Value, out var id) ? id : null;

    public Guid? SessionId => Guid.TryParse(accessor.HttpContext?.User.FindFirst("sid")?.Value, out var id) ? id : null;

    public string? Email => accessor.HttpContext?.User.FindFirst("email")?.Value;

    public IReadOnlyList<string> Roles => accessor.HttpContext?.User.FindAll("role").Select(c => c.Value).ToList() ?? [];

    public string? IpAddress => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public Guid? ApiKeyId => Guid.TryParse(accessor.HttpContext?.User.FindFirst(ApiKeyClaims.KeyId)?.Value, out var id) ? id : null;

    public bool IsTestMode => accessor.HttpContext?.User.FindFirst(ApiKeyClaims.Mode)?.Value == ApiKeyClaims.TestMode;

    public string? UserAgent => accessor.HttpContext?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null;
}
