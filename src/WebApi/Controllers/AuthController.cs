using CleanBackend.Application.Auth.Commands.ChangePassword;
using CleanBackend.Application.Auth.Commands.Login;
using CleanBackend.Application.Auth.Commands.Logout;
using CleanBackend.Application.Auth.Commands.LogoutAll;
using CleanBackend.Application.Auth.Commands.RefreshSession;
using CleanBackend.Application.Auth.Commands.Register;
using CleanBackend.Application.Auth.Commands.RequestPasswordReset;
using CleanBackend.Application.Auth.Commands.ResetPassword;
using CleanBackend.Application.Auth.Commands.RevokeSession;
using CleanBackend.Application.Auth.Commands.VerifyRegistration;
using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Auth.Queries.GetCurrentUser;
using CleanBackend.Application.Auth.Queries.GetSessions;
using CleanBackend.Application.Users.Common;
using CleanBackend.WebApi.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;

namespace CleanBackend.WebApi.Controllers;

[Route("api/auth")]
[Tags("Auth")]
public sealed class AuthController : ApiControllerBase
{
    /// <summary>Starts a registration: a 6-digit code is e-mailed (valid 15 minutes). Again for an unverified e-mail: a fresh code.</summary>
    [HttpPost("register", Name = "Register")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.AccountByIp)]
    [RateLimitByEmail]
    [ProducesResponseType<OkResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public Task<OkResponse> Register(RegisterCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command, cancellationToken);

    /// <summary>Completes a registration with the e-mailed code and signs the new user in.</summary>
    [HttpPost("register/verify", Name = "VerifyRegistration")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.AccountByIp)]
    [RateLimitByEmail]
    [ProducesResponseType<AuthResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    public async Task<ActionResult<AuthResponse>> VerifyRegistration(VerifyRegistrationCommand command, CancellationToken cancellationToken) =>
        StatusCode(StatusCodes.Status201Created, await Mediator.Send(command, cancellationToken));

    /// <summary>Signs in with e-mail and password. Five failures in a row lock the account for 15 minutes.</summary>
    [HttpPost("login", Name = "Login")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.Login)]
    [ProducesResponseType<AuthResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public Task<AuthResponse> Login(LoginCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command, cancellationToken);

    /// <summary>Exchanges a refresh token for a new access token and refresh token; the one sent stops working.</summary>
    [HttpPost("refresh", Name = "RefreshToken")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.Login)]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK)]
    public Task<TokenResponse> Refresh(RefreshSessionCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command, cancellationToken);

    /// <summary>Ends the session of the refresh token (and of the access token, when one is sent).</summary>
    [HttpPost("logout", Name = "Logout")]
    [AllowAnonymous]
    [ProducesResponseType<OkResponse>(StatusCodes.Status200OK)]
    public Task<OkResponse> Logout(LogoutCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command, cancellationToken);

    /// <summary>Ends every session of the caller, access tokens included.</summary>
    [HttpPost("logout-all", Name = "LogoutAll")]
    [ProducesResponseType<LogoutAllResponse>(StatusCodes.Status200OK)]
    public Task<LogoutAllResponse> LogoutAll(CancellationToken cancellationToken) =>
        Mediator.Send(new LogoutAllCommand(), cancellationToken);

    /// <summary>The caller's live sessions.</summary>
    [HttpGet("sessions", Name = "ListSessions")]
    [ProducesResponseType<IReadOnlyList<SessionDto>>(StatusCodes.Status200OK)]
    public Task<IReadOnlyList<SessionDto>> Sessions(CancellationToken cancellationToken) =>
        Mediator.Send(new GetSessionsQuery(), cancellationToken);

    /// <summary>Ends one of the caller's sessions.</summary>
    [HttpDelete("sessions/{id:guid}", Name = "RevokeSession")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> RevokeSession(Guid id, CancellationToken cancellationToken)
    {
        await Mediator.Send(new RevokeSessionCommand(id), cancellationToken);
        return NoContent();
    }

    /// <summary>The signed-in user.</summary>
    [HttpGet("me", Name = "GetAuthenticatedUser")]
    [ProducesResponseType<UserDto>(StatusCodes.Status200OK)]
    public Task<UserDto> Me(CancellationToken cancellationToken) =>
        Mediator.Send(new GetCurrentUserQuery(), cancellationToken);

    /// <summary>E-mails a password reset link (valid 1 hour, usable once). Same answer whether or not the e-mail is registered.</summary>
    [HttpPost("request-password-reset", Name = "RequestPasswordReset")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.AccountByIp)]
    [RateLimitByEmail]
    [ProducesResponseType<OkResponse>(StatusCodes.Status200OK)]
    public Task<OkResponse> RequestPasswordReset(RequestPasswordResetCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command, cancellationToken);

    /// <summary>Sets a new password with the token from the reset e-mail; every session of the user ends.</summary>
    [HttpPost("reset-password", Name = "ResetPassword")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.AccountByIp)]
    [ProducesResponseType<OkResponse>(StatusCodes.Status200OK)]
    public Task<OkResponse> ResetPassword(ResetPasswordCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command, cancellationToken);

    /// <summary>Changes the caller's password; their other sessions end.</summary>
    [HttpPost("change-password", Name = "ChangePassword")]
    [ProducesResponseType<OkResponse>(StatusCodes.Status200OK)]
    public Task<OkResponse> ChangePassword(ChangePasswordCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command, cancellationToken);
}
