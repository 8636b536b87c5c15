using System.Security.Claims;
using System.Text.Encodings.Web;
using CleanBackend.Domain.ApiKeys;
using CleanBackend.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CleanBackend.WebApi.Infrastructure.ApiKeys;

/// <summary>
/// Authenticates a request by its API key (<c>Authorization: Bearer cbk_...</c> or <c>X-API-Key: cbk_...</c>) as
/// the key's owner, carrying the key's id, mode and scopes and no roles. The key's checks are cached like a token's
/// (<see cref="AccessTokenValidator"/>); its use is noted in memory (<see cref="ApiKeyUsage"/>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccessTokenValidator validator,
    ApiKeyUsage usage) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The scheme every request starts with: keys go to <see cref="SchemeName"/>, anything else to the JWT bearer.</summary>
    public const string SelectorSchemeName = "BearerOrApiKey";

    public const string HeaderName = "X-API-Key";

    private const string BearerStart = "Bearer ";

    /// <summary>Whether the request presents an API key (not whether it is a valid one); a cheap look at two headers.</summary>
    public static bool PresentsKey(HttpRequest request) => ReadSecret(request) is not null;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ReadSecret(Request) is not { } secret)
        {
            return AuthenticateResult.NoResult();
        }

        var (key, problem) = ApiKey.LooksLikeSecret(secret)
            ? await validator.FindApiKeyAsync(secret, Context.RequestAborted)
            : (null, "Invalid API key");
        if (key is null)
        {
            // The authentication result of a failure is not kept for later middleware: the reason is.
            Context.Items[AccessTokenRevokedException.ItemKey] = problem;
            return AuthenticateResult.Fail(problem!);
        }

        usage.Record(key.Id);
        var claims = new List<Claim>(key.Scopes.Count + 3)
        {
            new("sub", key.UserId.ToString()),
            new(ApiKeyClaims.KeyId, key.Id.ToString()),
            new(ApiKeyClaims.Mode, key.Mode == ApiKeyMode.Test ? ApiKeyClaims.TestMode : ApiKeyClaims.LiveMode),
        };
        claims.AddRange(key.Scopes.Select(scope => new Claim(ApiKeyClaims.Scope, scope)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, "sub", TokenService.RoleClaim));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>The X-API-Key header whatever it holds, or a bearer credential that starts like a key.</summary>
    private static string? ReadSecret(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header))
        {
            return header.ToString().Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(BearerStart, StringComparison.OrdinalIgnoreCase)
            && authorization.AsSpan(BearerStart.Length).TrimStart().StartsWith(ApiKey.SecretStart, StringComparison.Ordinal)
            ? authorization[BearerStart.Length..].Trim()
            : null;
    }
}
