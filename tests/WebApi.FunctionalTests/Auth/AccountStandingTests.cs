using System.Net;
using System.Net.Http.Json;
using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Infrastructure.Identity;
using CleanBackend.Infrastructure.Persistence;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.WebApi.FunctionalTests.Auth;

public sealed class AccountStandingTests
{
    [Fact]
    public async Task DeactivatedUser_StillUnexpiredAccessTokenIsRefused_AndLoginIs403()
    {
        using var factory = new CleanBackendFactory();
        var email = AuthFlow.NewEmail();
        var auth = await factory.RegisterAndVerifyAsync(email);
        var client = factory.CreateClient(auth.Token());
        (await client.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // What the admin's deactivation does: the flag, then telling the token checks.
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByEmailAsync(email);
            user!.IsActive = false;
            (await users.UpdateAsync(user)).Succeeded.ShouldBeTrue();
            scope.ServiceProvider.GetRequiredService<ITokenStateCache>().UserChanged(user.Id);
        }

        await (await client.GetAsync("/api/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Account is deactivated");
        await (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = "Secret123" }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Account is deactivated");
        await (await factory.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = auth.RefreshToken() }))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Invalid or expired refresh token");
    }

    [Fact]
    public async Task DeletedUser_AccessTokenIsRefused()
    {
        using var factory = new CleanBackendFactory();
        var email = AuthFlow.NewEmail();
        var auth = await factory.RegisterAndVerifyAsync(email);

        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByEmailAsync(email);
            (await users.DeleteAsync(user!)).Succeeded.ShouldBeTrue();
            scope.ServiceProvider.GetRequiredService<ITokenStateCache>().UserChanged(user!.Id);
        }

        await (await factory.CreateClient(auth.Token()).GetAsync("/api/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "User no longer exists");
    }

    [Fact]
    public async Task AdministratorFromConfiguration_IsCreatedOnceWithTheAdminRole()
    {
        var settings = new Dictionary<string, string?> { ["Admin:Email"] = "Boss@Example.com", ["Admin:Password"] = "AdminPass1" };
        using var factory = CleanBackendFactory.With(settings);

        var auth = await factory.LoginAsync("boss@example.com", "AdminPass1");

        auth.GetProperty("user").GetProperty("roles").Strings().ShouldBe(["admin", "user"]);
        using var scope = factory.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitialiser>().InitialiseAsync(CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        (await db.Users.CountAsync(u => u.NormalizedEmail == "BOSS@EXAMPLE.COM")).ShouldBe(1);
    }

    [Theory]
    [InlineData("boss@example.com", null, "ADMIN_PASSWORD: ADMIN_EMAIL and ADMIN_PASSWORD are set together or not at all.")]
    [InlineData("boss@example.com", "weak", "ADMIN_PASSWORD: must have at least 8 characters with a letter and a digit.")]
    [InlineData("not-an-email", "AdminPass1", "ADMIN_EMAIL: 'not-an-email' is not an e-mail address.")]
    public void AdministratorSettings_WhenBad_StopStartUpNamingTheVariable(string email, string? password, string message)
    {
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?> { ["Admin:Email"] = email, ["Admin:Password"] = password });

        var error = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => factory.CreateClient());

        error.Failures.ShouldContain(message);
    }
}
