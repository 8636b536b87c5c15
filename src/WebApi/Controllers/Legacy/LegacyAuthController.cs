using CleanBackend.Application.Auth.Commands.Login;
using CleanBackend.Application.Auth.Commands.Logout;
using CleanBackend.Application.Auth.Commands.RefreshSession;
using CleanBackend.Application.Auth.Commands.Register;
using CleanBackend.Application.Auth.Commands.RequestPasswordReset;
using CleanBackend.Application.Auth.Commands.ResendRegistrationCode;
using CleanBackend.Application.Auth.Commands.ResetPassword;
using CleanBackend.Application.Auth.Commands.VerifyRegistration;
using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Auth.Queries.GetCurrentUser;
using CleanBackend.WebApi.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;

namespace CleanBackend.WebApi.Controllers.Legacy;

[Route("legacy/api/auth")]
public sealed class LegacyAuthController : LegacyControllerBase
{
    [HttpPost("register")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.AccountByIp)]
    [RateLimitByEmail]
    public Task<OkResponse> Register(LegacyRegisterRequest request, CancellationToken cancellationToken) =>
        Mediator.Send(new RegisterCommand(request.Email, request.Password, request.UserName), cancellationToken);

    [HttpPost("register/verify")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.AccountByIp)]
    [RateLimitByEmail]
    public async Task<LegacySession> Verify(VerifyRegistrationCommand command, CancellationToken cancellationToken) =>
        Session(await Mediator.Send(command, cancellationToken));

    [HttpPost("register/resend")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.AccountByIp)]
    [RateLimitByEmail]
    public Task<OkResponse> Resend(ResendRegistrationCodeCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command, cancellationToken);

    [HttpPost("login")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.Login)]
    public async Task<LegacySession> Login(LoginCommand command, CancellationToken cancellationToken) =>
        Session(await Mediator.Send(command, cancellationToken));

    [HttpPost("refresh")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.Login)]
    public async Task<LegacyTokens> Refresh(RefreshSessionCommand command, CancellationToken cancellationToken)
    {
        var tokens = await Mediator.Send(command, cancellationToken);
        return new LegacyTokens(tokens.Token, tokens.RefreshToken, tokens.ExpiresIn);
    }

    [HttpGet("me")]
    public async Task<LegacyUser> Me(CancellationToken cancellationToken) =>
        LegacyUser.From(await Mediator.Send(new GetCurrentUserQuery(), cancellationToken));

    [HttpPost("logout")]
    [AllowAnonymous]
    public Task<OkResponse> Logout(LogoutCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command, cancellationToken);

    [HttpPost("request-password-reset")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.AccountByIp)]
    [RateLimitByEmail]
    public Task<OkResponse> RequestPasswordReset(RequestPasswordResetCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command, cancellationToken);

    [HttpPost("reset-password")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.AccountByIp)]
    public Task<OkResponse> ResetPassword(ResetPasswordCommand command, CancellationToken cancellationToken) =>
        Mediator.Send(command, cancellationToken);

    private static LegacySession Session(AuthResponse auth) =>
        new(auth.Token, auth.RefreshToken, auth.ExpiresIn, LegacyUser.From(auth.User));
}
