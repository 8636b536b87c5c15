using CleanBackend.Infrastructure.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CleanBackend.WebApi.Infrastructure.ApiKeys;

/// <summary>
/// Limits a request made with an API key to what its scopes allow: the endpoint must declare a scope
/// (<see cref="ApiKeyScopeAttribute"/>) and the key must hold it. Signed-in sessions are not affected. It runs with
/// every policy, so no route can forget it.
/// </summary>
public sealed class ApiKeyScopeAuthorizationHandler : IAuthorizationHandler
{
    public const string NotForKeys = "API keys cannot be used on this route; sign in to use it";

    public static string MissingScope(string scope) => $"The API key lacks the scope '{scope}'";

    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        if (!context.User.HasClaim(c => c.Type == ApiKeyClaims.KeyId))
        {
            return Task.CompletedTask;
        }

        // Hub method calls were authorized with the connection, which needed the hub's scope.
        if (context.Resource is HubInvocationContext)
        {
            return Task.CompletedTask;
        }

        var endpoint = context.Resource switch
        {
            HttpContext http => http.GetEndpoint(),
            Endpoint e => e,
            _ => null,
        };

        var required = endpoint?.Metadata.GetMetadata<ApiKeyScopeAttribute>();
        if (required is null)
        {
            context.Fail(new AuthorizationFailureReason(this, NotForKeys));
        }
        else if (!context.User.HasClaim(ApiKeyClaims.Scope, required.Scope))
        {
            context.Fail(new AuthorizationFailureReason(this, MissingScope(required.Scope)));
        }

        return Task.CompletedTask;
    }
}
