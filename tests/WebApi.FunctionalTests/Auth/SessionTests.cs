using System.Net;
using System.Net.Http.Json;
using CleanBackend.Domain.Audit;
using CleanBackend.Infrastructure.Persistence;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.WebApi.FunctionalTests.Auth;

[Collection(SharedServiceCollection.Name)]
public sealed class SessionTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task Login_ReturnsTokensAndTheUser()
    {
        var email = AuthFlow.NewEmail();
        await factory.RegisterAndVerifyAsync(email);

        var auth = await factory.LoginAsync(email.ToUpperInvariant());

        auth.PropertyNames().ShouldBe(["expiresIn", "ok", "refreshToken", "token", "user"]);
        auth.GetProperty("expiresIn").GetInt32().ShouldBe(900);
        auth.GetProperty("user").GetProperty("email").GetString().ShouldBe(email);
        (await factory.CreateClient(auth.Token()).GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AuditActionsOf(email)).ShouldContain("auth.login");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Login_WithAWrongPasswordOrUnknownEmail_Returns401WithTheSeedsError(bool knownEmail)
    {
        var email = AuthFlow.NewEmail();
        if (knownEmail)
        {
            await factory.RegisterAndVerifyAsync(email);
        }

        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = "Wrong1234" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Invalid email or password");
        (await AuditActionsOf(email)).ShouldContain("auth.login_failed");
    }

    [Fact]
    public async Task Login_AfterFiveFailures_IsLockedEvenWithTheRightPassword()
    {
        var email = AuthFlow.NewEmail();
        await factory.RegisterAndVerifyAsync(email);
        var client = factory.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            (await client.PostAsJsonAsync("/api/auth/login", new { email, password = "Wrong1234" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var fifth = await client.PostAsJsonAsync("/api/auth/login", new { email, password = "Wrong1234" });
        var rightPassword = await client.PostAsJsonAsync("/api/auth/login", new { email, password = "Secret123" });

        await fifth.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "Account locked after too many failed logins; try again in 15 minutes");
        await rightPassword.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "Account locked after too many failed logins; try again in 15 minutes");
        int.Parse(rightPassword.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(840, 900);
        (await AuditActionsOf(email)).Count(a => a == "auth.account_locked").ShouldBe(2);
    }

    [Fact]
    public async Task Refresh_RotatesBothTokens_AndTheOldRefreshTokenStopsWorking()
    {
        var auth = await factory.RegisterAndVerifyAsync(AuthFlow.NewEmail());
        var client = factory.CreateClient();

        var refreshed = await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = auth.RefreshToken() })).ReadJsonAsync(HttpStatusCode.OK);

        refreshed.PropertyNames().ShouldBe(["expiresIn", "ok", "refreshToken", "token"]);
        refreshed.GetProperty("expiresIn").GetInt32().ShouldBe(900);
        refreshed.RefreshToken().ShouldNotBe(auth.RefreshToken());
        (await factory.CreateClient(refreshed.Token()).GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refreshed.RefreshToken() })).ReadJsonAsync(HttpStatusCode.OK);
        again.RefreshToken().ShouldNotBe(refreshed.RefreshToken());
    }

    [Fact]
    public async Task Refresh_WithAnAlreadyRotatedToken_EndsTheWholeSession()
    {
        var email = AuthFlow.NewEmail();
        var auth = await factory.RegisterAndVerifyAsync(email);
        var client = factory.CreateClient();
        var refreshed = await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = auth.RefreshToken() })).ReadJsonAsync(HttpStatusCode.OK);

        var replay = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = auth.RefreshToken() });

        await replay.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Refresh token reuse detected; the session has been ended");
        await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refreshed.RefreshToken() }))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Invalid or expired refresh token");
        await (await factory.CreateClient(refreshed.Token()).GetAsync("/api/auth/me"))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Session has ended");
        (await AuditActionsOf(email)).ShouldContain("auth.refresh_token_reuse");
    }

    [Fact]
    public async Task Refresh_WithAnUnknownToken_Returns401()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = "not-a-token" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Invalid or expired refresh token");
    }

    [Fact]
    public async Task Logout_RevokesTheRefreshToken_AndTheAccessTokenIsRefusedAtOnce()
    {
        var email = AuthFlow.NewEmail();
        var auth = await factory.RegisterAndVerifyAsync(email);
        var client = factory.CreateClient(auth.Token());
        (await client.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var logout = await client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = auth.RefreshToken() });

        (await logout.ReadJsonAsync(HttpStatusCode.OK)).GetRawText().ShouldBe("""{"ok":true}""");
        await (await client.GetAsync("/api/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Session has ended");
        await (await factory.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = auth.RefreshToken() }))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Invalid or expired refresh token");
        (await AuditActionsOf(email)).ShouldContain("auth.logout");
    }

    [Fact]
    public async Task Logout_Twice_IsStillOk()
    {
        var auth = await factory.RegisterAndVerifyAsync(AuthFlow.NewEmail());
        var client = factory.CreateClient();
        await client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = auth.RefreshToken() });

        var second = await client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = auth.RefreshToken() });

        (await second.ReadJsonAsync(HttpStatusCode.OK)).GetRawText().ShouldBe("""{"ok":true}""");
    }

    [Fact]
    public async Task LogoutAll_EndsEverySession_AccessTokensIncluded()
    {
        var email = AuthFlow.NewEmail();
        var first = await factory.RegisterAndVerifyAsync(email);
        var second = await factory.LoginAsync(email);

        var response = await factory.CreateClient(first.Token()).PostAsync("/api/auth/logout-all", null);

        (await response.ReadJsonAsync(HttpStatusCode.OK)).GetRawText().ShouldBe("""{"ok":true,"revoked":2}""");
        foreach (var auth in new[] { first, second })
        {
            (await factory.CreateClient(auth.Token()).GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await factory.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = auth.RefreshToken() })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await factory.LoginAsync(email)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await AuditActionsOf(email)).ShouldContain("auth.logout_all");
    }

    [Fact]
    public async Task Sessions_ListsEachLoginWithTheCurrentOneMarked()
    {
        var email = AuthFlow.NewEmail();
        var first = await factory.RegisterAndVerifyAsync(email);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { email, password = "Secret123" }) };
        request.Headers.UserAgent.ParseAdd("PhoneApp/2.1");
        var second = await (await factory.CreateClient().SendAsync(request)).ReadJsonAsync(HttpStatusCode.OK);

        var sessions = await (await factory.CreateClient(second.Token()).GetAsync("/api/auth/sessions")).ReadJsonAsync(HttpStatusCode.OK);

        sessions.GetArrayLength().ShouldBe(2);
        foreach (var session in sessions.EnumerateArray())
        {
            session.PropertyNames().ShouldBe(["createdAt", "current", "expiresAt", "id", "ipAddress", "lastUsedAt", "userAgent"]);
            session.GetProperty("expiresAt").GetDateTime().ShouldBe(session.GetProperty("createdAt").GetDateTime().AddDays(7), TimeSpan.FromSeconds(1));
        }

        var current = sessions.EnumerateArray().Single(s => s.GetProperty("current").GetBoolean());
        current.GetProperty("userAgent").GetString().ShouldBe("PhoneApp/2.1");
        first.GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task RevokeSession_EndsThatSessionOnly()
    {
        var email = AuthFlow.NewEmail();
        var first = await factory.RegisterAndVerifyAsync(email);
        var second = await factory.LoginAsync(email);
        var client = factory.CreateClient(second.Token());
        var sessions = await (await client.GetAsync("/api/auth/sessions")).ReadJsonAsync(HttpStatusCode.OK);
        var other = sessions.EnumerateArray().Single(s => !s.GetProperty("current").GetBoolean()).GetProperty("id").GetGuid();

        var response = await client.DeleteAsync($"/api/auth/sessions/{other}");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await factory.CreateClient(first.Token()).GetAsync("/api/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Session has ended");
        (await client.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await client.DeleteAsync($"/api/auth/sessions/{other}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Session not found");
    }

    [Fact]
    public async Task RevokeSession_OfAnotherUser_Returns404AndLeavesItAlone()
    {
        var owner = await factory.RegisterAndVerifyAsync(AuthFlow.NewEmail());
        var stranger = await factory.RegisterAndVerifyAsync(AuthFlow.NewEmail());
        var ownerSession = (await (await factory.CreateClient(owner.Token()).GetAsync("/api/auth/sessions")).ReadJsonAsync(HttpStatusCode.OK))
            .EnumerateArray().Single().GetProperty("id").GetGuid();

        var response = await factory.CreateClient(stranger.Token()).DeleteAsync($"/api/auth/sessions/{ownerSession}");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Session not found");
        (await factory.CreateClient(owner.Token()).GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<List<string>> AuditActionsOf(string email)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        return await db.AuditLogs.Where(a => a.ActorEmail == email).OrderBy(a => a.CreatedAt).Select(a => a.Action).ToListAsync();
    }
}
