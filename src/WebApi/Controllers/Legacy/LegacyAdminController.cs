using CleanBackend.Application.Admin.Commands.ChangeRoles;
using CleanBackend.Application.Admin.Commands.DeleteUser;
using CleanBackend.Application.Admin.Commands.ToggleUserStatus;
using CleanBackend.Application.Admin.Common;
using CleanBackend.Application.Admin.Queries.GetAccountStats;
using CleanBackend.Application.Admin.Queries.GetAdminUser;
using CleanBackend.Application.Admin.Queries.GetAdminUsers;
using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Models;
using CleanBackend.Domain.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace CleanBackend.WebApi.Controllers.Legacy;

/// <summary>The web app's admin page; anyone but an admin gets 403 "Admin access required".</summary>
[Route("legacy/api/admin")]
[Authorize(Roles = Roles.Admin)]
public sealed class LegacyAdminController : LegacyControllerBase
{
    [HttpGet("stats")]
    public Task<AccountStats> Stats(CancellationToken cancellationToken) =>
        Mediator.Send(new GetAccountStatsQuery(), cancellationToken);

    /// <summary>Newest first; the web app asks without paging and gets the first <see cref="PageRequestRules.MaxLimit"/>.</summary>
    [HttpGet("users")]
    public async Task<LegacyUserList> Users(int page = 1, int limit = PageRequestRules.MaxLimit, CancellationToken cancellationToken = default)
    {
        var users = await Mediator.Send(new GetAdminUsersQuery(page, limit), cancellationToken);
        return new LegacyUserList([.. users.Items.Select(LegacyUser.From)], users.Page, users.Limit, users.Total, users.TotalPages);
    }

    [HttpGet("users/{id:guid}")]
    public async Task<LegacyUserWithChats> UserWithChats(Guid id, CancellationToken cancellationToken) =>
        LegacyUserWithChats.From(await Mediator.Send(new GetAdminUserQuery(id), cancellationToken));

    [HttpPut("users/{id:guid}/roles")]
    public async Task<LegacyUserAnswer> ChangeRoles(Guid id, LegacyRolesRequest request, CancellationToken cancellationToken) =>
        Answer(await Mediator.Send(new ChangeRolesCommand(request.Roles) { UserId = id }, cancellationToken));

    [HttpPatch("users/{id:guid}/toggle-status")]
    public async Task<LegacyUserAnswer> ToggleStatus(Guid id, CancellationToken cancellationToken) =>
        Answer(await Mediator.Send(new ToggleUserStatusCommand(id), cancellationToken));

    [HttpDelete("users/{id:guid}")]
    public Task<OkResponse> Delete(Guid id, CancellationToken cancellationToken) =>
        Mediator.Send(new DeleteUserCommand(id), cancellationToken);

    private static LegacyUserAnswer Answer(AdminUserResponse response) => new(response.Ok, response.Message, LegacyUser.From(response.User));
}
