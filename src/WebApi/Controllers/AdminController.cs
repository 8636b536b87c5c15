using CleanBackend.Application.Admin.Commands.ChangeRoles;
using CleanBackend.Application.Admin.Commands.DeactivateUser;
using CleanBackend.Application.Admin.Commands.DeleteUser;
using CleanBackend.Application.Admin.Commands.ReactivateUser;
using CleanBackend.Application.Admin.Common;
using CleanBackend.Application.Admin.Queries.GetAdminUsers;
using CleanBackend.Application.Admin.Queries.GetAuditLogs;
using CleanBackend.Application.Admin.Queries.GetSystemStats;
using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Models;
using CleanBackend.Application.Users.Common;
using Microsoft.AspNetCore.Authorization;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.WebApi.Controllers;

/// <summary>Operating the service; anyone but an admin gets 403 "Admin access required".</summary>
[Route("api/admin")]
[Tags("Admin")]
[Authorize(Roles = Roles.Admin)]
// Declaring 403 here hides the base class's declarations from the OpenAPI document, so they are repeated.
[ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class AdminController : ApiControllerBase
{
    /// <summary>Users, newest first, by search, role and state.</summary>
    [HttpGet("users", Name = "AdminListUsers")]
    [ProducesResponseType<PaginatedList<UserDto>>(StatusCodes.Status200OK)]
    public Task<PaginatedList<UserDto>> Users(int page = 1, int limit = PageRequestRules.DefaultLimit, string? search = null, string? role = null, bool? isActive = null, CancellationToken cancellationToken = default) =>
        Mediator.Send(new GetAdminUsersQuery(page, limit, search, role, isActive), cancellationToken);

    /// <summary>Sets a user's roles (an admin cannot drop their own admin role: 409).</summary>
    [HttpPatch("users/{id:guid}/roles", Name = "AdminChangeRoles")]
    [ProducesResponseType<AdminUserResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<AdminUserResponse> ChangeRoles(Guid id, ChangeRolesCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command with { UserId = id }, cancellationToken);

    /// <summary>Deactivates a user; their sessions and access tokens stop working at once.</summary>
    [HttpPost("users/{id:guid}/deactivate", Name = "AdminDeactivateUser")]
    [ProducesResponseType<AdminUserResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<AdminUserResponse> Deactivate(Guid id, CancellationToken cancellationToken) =>
        Mediator.Send(new DeactivateUserCommand(id), cancellationToken);

    [HttpPost("users/{id:guid}/reactivate", Name = "AdminReactivateUser")]
    [ProducesResponseType<AdminUserResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<AdminUserResponse> Reactivate(Guid id, CancellationToken cancellationToken) =>
        Mediator.Send(new ReactivateUserCommand(id), cancellationToken);

    /// <summary>Deletes a user with their data and files (not oneself: 400).</summary>
    [HttpDelete("users/{id:guid}", Name = "AdminDeleteUser")]
    [ProducesResponseType<OkResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<OkResponse> Delete(Guid id, CancellationToken cancellationToken) =>
        Mediator.Send(new DeleteUserCommand(id), cancellationToken);

    /// <summary>Counts across the service and its newest users and jobs.</summary>
    [HttpGet("stats", Name = "AdminStats")]
    [ProducesResponseType<SystemStats>(StatusCodes.Status200OK)]
    public Task<SystemStats> Stats(CancellationToken cancellationToken) =>
        Mediator.Send(new GetSystemStatsQuery(), cancellationToken);

    /// <summary>The audit log, newest first.</summary>
    [HttpGet("audit-logs", Name = "AdminAuditLogs")]
    [ProducesResponseType<PaginatedList<AuditLogDto>>(StatusCodes.Status200OK)]
    public Task<PaginatedList<AuditLogDto>> AuditLogs(int page = 1, int limit = PageRequestRules.DefaultLimit, string? action = null, Guid? actorId = null, CancellationToken cancellationToken = default) =>
        Mediator.Send(new GetAuditLogsQuery(page, limit, action, actorId), cancellationToken);
}
