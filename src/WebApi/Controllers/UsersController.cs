using CleanBackend.Application.Auth.Queries.GetCurrentUser;
using CleanBackend.Application.Common.Models;
using CleanBackend.Application.Users.Commands.CreateUser;
using CleanBackend.Application.Users.Commands.DeleteOwnAccount;
using CleanBackend.Application.Users.Commands.UpdateUser;
using CleanBackend.Application.Users.Common;
using CleanBackend.Application.Users.Queries.GetUser;
using CleanBackend.Application.Users.Queries.GetUsers;
using Microsoft.AspNetCore.Authorization;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.WebApi.Controllers;

[Route("api/users")]
[Tags("Users")]
public sealed class UsersController(IUser caller) : ApiControllerBase
{
    /// <summary>Users, newest first (admins and moderators).</summary>
    [HttpGet(Name = "ListUsers")]
    [Authorize(Roles = $"{Roles.Admin},{Roles.Moderator}")]
    [ProducesResponseType<PaginatedList<UserDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public Task<PaginatedList<UserDto>> List(int page = 1, int limit = PageRequestRules.DefaultLimit, string? search = null, CancellationToken cancellationToken = default) =>
        Mediator.Send(new GetUsersQuery(page, limit, search), cancellationToken);

    /// <summary>Creates a verified user (admins).</summary>
    [HttpPost(Name = "CreateUser")]
    [Authorize(Roles = Roles.Admin)]
    [ProducesResponseType<UserDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<UserDto>> Create(CreateUserCommand command, CancellationToken cancellationToken)
    {
        var user = await Mediator.Send(command, cancellationToken);
        return CreatedAtRoute("GetUser", new { id = user.Id }, user);
    }

    /// <summary>The signed-in user.</summary>
    [HttpGet("me", Name = "GetMyProfile")]
    [ProducesResponseType<UserDto>(StatusCodes.Status200OK)]
    public Task<UserDto> Me(CancellationToken cancellationToken) =>
        Mediator.Send(new GetCurrentUserQuery(), cancellationToken);

    /// <summary>Changes the signed-in user's name and settings (settings are merged; null removes one).</summary>
    [HttpPatch("me", Name = "UpdateMyProfile")]
    [ProducesResponseType<UserDto>(StatusCodes.Status200OK)]
    public Task<UserDto> UpdateMe(UpdateUserCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command with { Id = caller.RequiredId() }, cancellationToken);

    /// <summary>Deletes the signed-in user's account, data and files; the password confirms it.</summary>
    [HttpDelete("me", Name = "DeleteMyAccount")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> DeleteMe(DeleteOwnAccountCommand command, CancellationToken cancellationToken)
    {
        await Mediator.Send(command, cancellationToken);
        return NoContent();
    }

    /// <summary>A user (oneself, or anyone for admins).</summary>
    [HttpGet("{id:guid}", Name = "GetUser")]
    [ProducesResponseType<UserDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<UserDto> Get(Guid id, CancellationToken cancellationToken) =>
        Mediator.Send(new GetUserQuery(id), cancellationToken);

    /// <summary>Changes a user's name and settings (oneself, or anyone for admins).</summary>
    [HttpPatch("{id:guid}", Name = "UpdateUser")]
    [ProducesResponseType<UserDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<UserDto> Update(Guid id, UpdateUserCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command with { Id = id }, cancellationToken);
}
