using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CleanBackend.WebApi.FunctionalTests.Auth;

[Collection(SharedServiceCollection.Name)]
public sealed class PasswordTests(CleanBackendFactory factory)
{
    private const string ResetMessage = "If that email is registered, a password reset link has been sent";

    [Fact]
    public async Task PasswordReset_WithTheEmailedLink_SetsTheNewPasswordAndEndsEverySession()
    {
        var email = AuthFlow.NewEmail();
        var auth = await factory.RegisterAndVerifyAsync(email);
        var client = factory.CreateClient();
        var seen = factory.Mailbox.MessagesTo(email).Count;

        var requested = await client.PostAsJsonAsync("/api/auth/request-password-reset", new { email });

        (await requested.ReadJsonAsync(HttpStatusCode.OK)).GetRawText().ShouldBe($$"""{"ok":true,"message":"{{ResetMessage}}"}""");
        var message = await factory.Mailbox.WaitForMessageAsync(email, seen);
        message.ShouldContain("http://localhost:3000/reset-password?token=");
        var token = await factory.Mailbox.WaitForResetTokenAsync(email, seen);

        var reset = await client.PostAsJsonAsync("/api/auth/reset-password", new { token, newPassword = "BrandNew42" });

        (await reset.ReadJsonAsync(HttpStatusCode.OK)).GetRawText().ShouldBe("""{"ok":true,"message":"Password has been reset; sign in with the new password"}""");
        await (await client.PostAsJsonAsync("/api/auth/login", new { email, password = "Secret123" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Invalid email or password");
        (await factory.LoginAsync(email, "BrandNew42")).GetProperty("ok").GetBoolean().ShouldBeTrue();
        await (await factory.CreateClient(auth.Token()).GetAsync("/api/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Token has been revoked");
        (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = auth.RefreshToken() })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PasswordReset_TokenWorksOnlyOnce()
    {
        var email = AuthFlow.NewEmail();
        await factory.RegisterAndVerifyAsync(email);
        var client = factory.CreateClient();
        var seen = factory.Mailbox.MessagesTo(email).Count;
        await client.PostAsJsonAsync("/api/auth/request-password-reset", new { email });
        var token = await factory.Mailbox.WaitForResetTokenAsync(email, seen);
        (await client.PostAsJsonAsync("/api/auth/reset-password", new { token, newPassword = "BrandNew42" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var again = await client.PostAsJsonAsync("/api/auth/reset-password", new { token, newPassword = "Another42" });

        var problem = await again.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "Invalid or expired reset token");
        problem.GetProperty("errors").GetProperty("token").Strings().ShouldBe(["Invalid or expired reset token"]);
    }

    [Fact]
    public async Task PasswordReset_AfterAnHour_IsRefused()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var service = CleanBackendFactory.WithClock(clock);
        var email = AuthFlow.NewEmail();
        await service.RegisterAndVerifyAsync(email);
        var client = service.CreateClient();
        var seen = service.Mailbox.MessagesTo(email).Count;
        await client.PostAsJsonAsync("/api/auth/request-password-reset", new { email });
        var token = await service.Mailbox.WaitForResetTokenAsync(email, seen);

        clock.Advance(TimeSpan.FromMinutes(61));
        var response = await client.PostAsJsonAsync("/api/auth/reset-password", new { token, newPassword = "BrandNew42" });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "Invalid or expired reset token");
    }

    [Fact]
    public async Task PasswordResetRequest_ForAnUnknownEmail_AnswersTheSameAndSendsNothing()
    {
        var email = AuthFlow.NewEmail();

        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/request-password-reset", new { email });

        (await response.ReadJsonAsync(HttpStatusCode.OK)).GetRawText().ShouldBe($$"""{"ok":true,"message":"{{ResetMessage}}"}""");
        factory.Mailbox.MessagesTo(email).ShouldBeEmpty();
    }

    [Fact]
    public async Task ResetPassword_WithAWeakPassword_Returns400()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/reset-password", new { token = "whatever", newPassword = "weak" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The length of 'New Password' must be at least 8 characters. You entered 4 characters.");
        problem.GetProperty("errors").PropertyNames().ShouldBe(["newPassword"]);
    }

    [Fact]
    public async Task ChangePassword_KeepsThisSessionAndEndsTheOthers()
    {
        var email = AuthFlow.NewEmail();
        var other = await factory.RegisterAndVerifyAsync(email);
        var current = await factory.LoginAsync(email);
        var client = factory.CreateClient(current.Token());

        var response = await client.PostAsJsonAsync("/api/auth/change-password", new { currentPassword = "Secret123", newPassword = "Changed42" });

        (await response.ReadJsonAsync(HttpStatusCode.OK)).GetRawText().ShouldBe("""{"ok":true,"message":"Password changed"}""");
        (await client.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await factory.CreateClient(other.Token()).GetAsync("/api/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Session has ended");
        (await factory.LoginAsync(email, "Changed42")).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task ChangePassword_WithAWrongCurrentPassword_Returns400AndChangesNothing()
    {
        var email = AuthFlow.NewEmail();
        var auth = await factory.RegisterAndVerifyAsync(email);

        var response = await factory.CreateClient(auth.Token()).PostAsJsonAsync("/api/auth/change-password", new { currentPassword = "NotMine99", newPassword = "Changed42" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "Current password is incorrect");
        problem.GetProperty("errors").PropertyNames().ShouldBe(["currentPassword"]);
        (await factory.LoginAsync(email)).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task ChangePassword_WithoutAToken_Returns401()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/change-password", new { currentPassword = "Secret123", newPassword = "Changed42" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Authentication required");
    }
}
