using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using CleanBackend.Domain.Accounts;
using CleanBackend.WebApi.Infrastructure.ApiKeys;

namespace CleanBackend.WebApi.Infrastructure;

/// <summary>
/// 401 and 403 answers as problem details; a failed admin requirement says so in the seed's words, an API key
/// outside its scopes names the scope it lacks.
/// </summary>
public sealed class ProblemDetailsAuthorizationResultHandler(IProblemDetailsService problemDetails) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        string error;
        int status;
        if (authorizeResult.Challenged)
        {
            await context.ChallengeAsync();
            status = StatusCodes.Status401Unauthorized;
            error = context.Items[AccessTokenRevokedException.ItemKey] is string problem ? problem
                : context.Request.Headers.Authorization.Count > 0 ? "Invalid or expired token"
                : "Authentication required";
        }
        else
        {
            await context.ForbidAsync();
            status = StatusCodes.Status403Forbidden;
            var roles = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).ToList();

            // An API key beyond its scopes is told which scope it lacks, before anything else.
            error = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault(r => r.Handler is ApiKeyScopeAuthorizationHandler)?.Message
                ?? (roles.SequenceEqual([Roles.Admin]) ? "Admin access required" : "Access denied");
        }

        context.Response.StatusCode = status;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = status == StatusCodes.Status401Unauthorized ? "Unauthorized" : "Forbidden",
                Detail = error,
            },
        });
    }
}
