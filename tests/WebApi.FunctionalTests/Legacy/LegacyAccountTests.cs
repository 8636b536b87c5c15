using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Legacy;

/// <summary>The account calls of the replaced backend's web app, through /legacy, with the fields it reads.</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class LegacyAccountTests(CleanBackendFactory factory)
{
    private static readonly string[] UserFields = ["_id", "createdAt", "email", "emailVerified", "id", "isActive", "lastLoginAt", "roles", "userName"];

    [Fact]
    public async Task RegisterVerifyLoginMe_AnswerWhatTheWebAppReads()
    {
        var email = AuthFlow.NewEmail();
        var client = factory.CreateClient();

        var registered = await client.PostAsJsonAsync("/legacy/api/auth/register", new { email, userName = "Grace Hopper", password = "Secret123" });
        (await registered.ReadJsonAsync(HttpStatusCode.OK)).GetRawText().ShouldBe("""{"ok":true,"message":"Verification code sent to email"}""");
        var code = await factory.Mailbox.WaitForVerificationCodeAsync(email);
        var verified = await (await client.PostAsJsonAsync("/legacy/api/auth/register/verify", new { email, code })).ReadJsonAsync(HttpStatusCode.OK);
        verified.PropertyNames().ShouldBe(["expiresIn", "refreshToken", "token", "user"]);

        var login = await (await client.PostAsJsonAsync("/legacy/api/auth/login", new { email, password = "Secret123" })).ReadJsonAsync(HttpStatusCode.OK);
        login.PropertyNames().ShouldBe(["expiresIn", "refreshToken", "token", "user"]);
        login.GetProperty("token").GetString().ShouldNotBeNullOrWhiteSpace();
        login.GetProperty("refreshToken").GetString().ShouldNotBeNullOrWhiteSpace();
        var user = login.GetProperty("user");
        user.PropertyNames().ShouldBe(UserFields);
        user.GetProperty("email").GetString().ShouldBe(email);
        user.GetProperty("userName").GetString().ShouldBe("Grace Hopper");
        user.GetProperty("roles").Strings().ShouldBe(["user"]);
        user.GetProperty("emailVerified").GetBoolean().ShouldBeTrue();
        user.GetProperty("isActive").GetBoolean().ShouldBeTrue();
        user.GetProperty("_id").GetGuid().ShouldBe(user.GetProperty("id").GetGuid());

        var me = await (await factory.CreateClient(login.Token()).GetAsync("/legacy/api/auth/me")).ReadJsonAsync(HttpStatusCode.OK);
        me.PropertyNames().ShouldBe(UserFields);
        me.GetProperty("_id").GetGuid().ShouldBe(user.GetProperty("id").GetGuid());
        me.GetProperty("userName").GetString().ShouldBe("Grace Hopper");
        me.GetProperty("lastLoginAt").GetString().ShouldNotBeNull();
    }

    [Fact]
    public async Task Register_WithAShortPassword_Returns400AsAJsonError()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/legacy/api/auth/register", new { email = AuthFlow.NewEmail(), userName = "Ada", password = "short" });

        await response.ShouldBeLegacyErrorAsync(HttpStatusCode.BadRequest, "The length of 'Password' must be at least 8 characters. You entered 5 characters.", "password");
    }

    [Fact]
    public async Task Register_AnEmailAlreadyRegistered_Returns409AsAJsonError()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient().PostAsJsonAsync("/legacy/api/auth/register", new { email = user.Email, userName = "Ada", password = "Secret123" });

        await response.ShouldBeLegacyErrorAsync(HttpStatusCode.Conflict, "Email already registered");
    }

    [Fact]
    public async Task Resend_EmailsANewCode_ThatWorksWhereTheOldOneNoLongerDoes()
    {
        var email = AuthFlow.NewEmail();
        var client = factory.CreateClient();
        (await client.PostAsJsonAsync("/legacy/api/auth/register", new { email, userName = "Ada", password = "Secret123" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var oldCode = await factory.Mailbox.WaitForVerificationCodeAsync(email);

        var resent = await client.PostAsJsonAsync("/legacy/api/auth/register/resend", new { email });

        (await resent.ReadJsonAsync(HttpStatusCode.OK)).GetRawText()
            .ShouldBe("""{"ok":true,"message":"If a registration is waiting for that email, a new verification code has been sent"}""");
        var newCode = await factory.Mailbox.WaitForVerificationCodeAsync(email, alreadySeen: 1);
        if (newCode != oldCode)
        {
            await (await client.PostAsJsonAsync("/legacy/api/auth/register/verify", new { email, code = oldCode }))
                .ShouldBeLegacyErrorAsync(HttpStatusCode.BadRequest, "Invalid verification code", "code");
        }

        (await client.PostAsJsonAsync("/legacy/api/auth/register/verify", new { email, code = newCode })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostAsJsonAsync("/legacy/api/auth/login", new { email, password = "Secret123" })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Resend_ForAnEmailWithNoWaitingRegistration_AnswersTheSameAndSendsNothing()
    {
        var email = AuthFlow.NewEmail();

        var response = await factory.CreateClient().PostAsJsonAsync("/legacy/api/auth/register/resend", new { email });

        (await response.ReadJsonAsync(HttpStatusCode.OK)).GetRawText()
            .ShouldBe("""{"ok":true,"message":"If a registration is waiting for that email, a new verification code has been sent"}""");
        await Task.Delay(200);
        factory.Mailbox.MessagesTo(email).ShouldBeEmpty();
    }

    [Fact]
    public async Task Refresh_GivesTheTwoTokensTheWebAppStores_AndTheOldRefreshTokenStopsWorking()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient();

        var refreshed = await (await client.PostAsJsonAsync("/legacy/api/auth/refresh", new { refreshToken = user.RefreshToken })).ReadJsonAsync(HttpStatusCode.OK);

        refreshed.PropertyNames().ShouldBe(["expiresIn", "refreshToken", "token"]);
        (await factory.CreateClient(refreshed.Token()).GetAsync("/legacy/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        refreshed.RefreshToken().ShouldNotBe(user.RefreshToken);
        await (await client.PostAsJsonAsync("/legacy/api/auth/refresh", new { refreshToken = "not-a-token" }))
            .ShouldBeLegacyErrorAsync(HttpStatusCode.Unauthorized, "Invalid or expired refresh token");
    }

    [Fact]
    public async Task Logout_EndsTheSession()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);

        var response = await client.PostAsJsonAsync("/legacy/api/auth/logout", new { refreshToken = user.RefreshToken });

        (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        await (await client.GetAsync("/legacy/api/auth/me")).ShouldBeLegacyErrorAsync(HttpStatusCode.Unauthorized, "Session has ended");
        await (await factory.CreateClient().PostAsJsonAsync("/legacy/api/auth/refresh", new { refreshToken = user.RefreshToken }))
            .ShouldBeLegacyErrorAsync(HttpStatusCode.Unauthorized, "Invalid or expired refresh token");
    }

    [Fact]
    public async Task PasswordReset_MailsAFrontendLink_WhoseTokenSetsTheNewPassword()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient();

        (await client.PostAsJsonAsync("/legacy/api/auth/request-password-reset", new { email = user.Email })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var mail = await factory.Mailbox.WaitForMessageAsync(user.Email);
        mail.ShouldContain("http://localhost:3000/reset-password?token=");
        var token = await factory.Mailbox.WaitForResetTokenAsync(user.Email);
        var reset = await client.PostAsJsonAsync("/legacy/api/auth/reset-password", new { token, newPassword = "BrandNew42" });

        (await reset.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await client.PostAsJsonAsync("/legacy/api/auth/login", new { email = user.Email, password = "BrandNew42" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await client.PostAsJsonAsync("/legacy/api/auth/reset-password", new { token, newPassword = "Another42" }))
            .ShouldBeLegacyErrorAsync(HttpStatusCode.BadRequest, "Invalid or expired reset token", "token");
    }

    [Fact]
    public async Task Login_FiveWrongPasswords_LockTheAccount_AsOnTheApi()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            await (await client.PostAsJsonAsync("/legacy/api/auth/login", new { email = user.Email, password = "Wrong1234" }))
                .ShouldBeLegacyErrorAsync(HttpStatusCode.Unauthorized, "Invalid email or password");
        }

        var fifth = await client.PostAsJsonAsync("/legacy/api/auth/login", new { email = user.Email, password = "Wrong1234" });
        var rightPassword = await client.PostAsJsonAsync("/legacy/api/auth/login", new { email = user.Email, password = user.Password });

        await fifth.ShouldBeLegacyErrorAsync(HttpStatusCode.TooManyRequests, "Account locked after too many failed logins; try again in 15 minutes");
        await rightPassword.ShouldBeLegacyErrorAsync(HttpStatusCode.TooManyRequests, "Account locked after too many failed logins; try again in 15 minutes");
    }

    [Fact]
    public async Task Me_WithoutAToken_Returns401AsAJsonError()
    {
        var response = await factory.CreateClient().GetAsync("/legacy/api/auth/me");

        await response.ShouldBeLegacyErrorAsync(HttpStatusCode.Unauthorized, "Authentication required");
    }

    [Fact]
    public async Task ABodyThatIsNotJson_Returns400AsAJsonError()
    {
        using var body = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");

        var response = await factory.CreateClient().PostAsync("/legacy/api/auth/login", body);

        await response.ShouldBeLegacyErrorAsync(HttpStatusCode.BadRequest, "The request body is not valid JSON for this operation.", "body");
    }

    [Fact]
    public async Task AnUnknownRoute_Returns404AsAJsonError()
    {
        var response = await factory.CreateClient().GetAsync("/legacy/api/nothing-here");

        await response.ShouldBeLegacyErrorAsync(HttpStatusCode.NotFound, "Not found");
    }
}

/// <summary>Rate limits are off in the shared service; on /legacy they are the same limits as on /api.</summary>
public sealed class LegacyRateLimitTests : IDisposable
{
    private readonly CleanBackendFactory _factory = CleanBackendFactory.With(new Dictionary<string, string?>
    {
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:AccountByEmail:PermitLimit"] = "2",
        ["RateLimiting:AccountByEmail:WindowSeconds"] = "600",
    });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Register_BeyondThePerEmailLimit_CountedWithTheApi_Returns429AsAJsonErrorWithRetryAfter()
    {
        var client = _factory.CreateClient();
        var email = AuthFlow.NewEmail();
        (await client.PostAsJsonAsync("/api/auth/register", new { email, name = "Ada", password = "Secret123" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostAsJsonAsync("/legacy/api/auth/register", new { email, userName = "Ada", password = "Secret123" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var limited = await client.PostAsJsonAsync("/legacy/api/auth/register", new { email, userName = "Ada", password = "Secret123" });

        var error = await limited.ShouldBeLegacyErrorAsync(HttpStatusCode.TooManyRequests, await ErrorOf(limited));
        error.GetProperty("error").GetString()!.ShouldStartWith("Too many requests; try again in ");
        limited.Headers.Contains("Retry-After").ShouldBeTrue();
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
}
