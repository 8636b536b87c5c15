using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CleanBackend.WebApi.FunctionalTests.Auth;

[Collection(SharedServiceCollection.Name)]
public sealed class RegistrationTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task Register_AnswersOkAndEmailsASixDigitCode()
    {
        var email = AuthFlow.NewEmail();

        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/register", new { email, password = "Secret123", name = "Ada" });

        var json = await response.ReadJsonAsync(HttpStatusCode.OK);
        json.GetRawText().ShouldBe("""{"ok":true,"message":"Verification code sent to email"}""");
        var message = await factory.Mailbox.WaitForMessageAsync(email);
        message.ShouldContain("Subject: Your CleanBackend verification code");
        (await factory.Mailbox.WaitForVerificationCodeAsync(email)).ShouldMatch("^[0-9]{6}$");
    }

    [Fact]
    public async Task Verify_WithTheEmailedCode_Returns201WithTokensAndTheNewUser()
    {
        var email = AuthFlow.NewEmail();

        var auth = await factory.RegisterAndVerifyAsync(email, name: "  Ada Lovelace ");

        auth.PropertyNames().ShouldBe(["expiresIn", "ok", "refreshToken", "token", "user"]);
        auth.GetProperty("ok").GetBoolean().ShouldBeTrue();
        auth.GetProperty("expiresIn").GetInt32().ShouldBe(900);
        auth.Token().Split('.').Length.ShouldBe(3);
        auth.RefreshToken().Length.ShouldBe(43);
        var user = auth.GetProperty("user");
        user.PropertyNames().ShouldBe(["createdAt", "email", "emailVerified", "id", "isActive", "lastLoginAt", "name", "roles", "settings"]);
        user.GetProperty("email").GetString().ShouldBe(email);
        user.GetProperty("name").GetString().ShouldBe("Ada Lovelace");
        user.GetProperty("roles").Strings().ShouldBe(["user"]);
        user.GetProperty("isActive").GetBoolean().ShouldBeTrue();
        user.GetProperty("emailVerified").GetBoolean().ShouldBeTrue();
        user.GetProperty("lastLoginAt").ValueKind.ShouldBe(JsonValueKind.String);
        user.GetProperty("settings").GetRawText().ShouldBe("{}");

        var me = await (await factory.CreateClient(auth.Token()).GetAsync("/api/auth/me")).ReadJsonAsync(HttpStatusCode.OK);
        me.GetProperty("id").GetGuid().ShouldBe(user.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Verify_WithAWrongCode_Returns400_AndFiveWrongCodesVoidIt()
    {
        var email = AuthFlow.NewEmail();
        var client = factory.CreateClient();
        await client.PostAsJsonAsync("/api/auth/register", new { email, password = "Secret123", name = "Ada" });
        var code = await factory.Mailbox.WaitForVerificationCodeAsync(email);
        var wrong = code == "000000" ? "111111" : "000000";

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var response = await client.PostAsJsonAsync("/api/auth/register/verify", new { email, code = wrong });
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "Invalid verification code");
            problem.GetProperty("errors").GetProperty("code").Strings().ShouldBe(["Invalid verification code"]);
        }

        await (await client.PostAsJsonAsync("/api/auth/register/verify", new { email, code = wrong }))
            .ShouldBeProblemAsync(HttpStatusCode.Gone, "Too many wrong codes; register again to get a new one");
        await (await client.PostAsJsonAsync("/api/auth/register/verify", new { email, code }))
            .ShouldBeProblemAsync(HttpStatusCode.Gone, "Too many wrong codes; register again to get a new one");
    }

    [Fact]
    public async Task Verify_AfterTheCodeExpired_Returns410()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var service = CleanBackendFactory.WithClock(clock);
        var email = AuthFlow.NewEmail();
        var client = service.CreateClient();
        await client.PostAsJsonAsync("/api/auth/register", new { email, password = "Secret123", name = "Ada" });
        var code = await service.Mailbox.WaitForVerificationCodeAsync(email);

        clock.Advance(TimeSpan.FromMinutes(16));
        var response = await client.PostAsJsonAsync("/api/auth/register/verify", new { email, code });

        await response.ShouldBeProblemAsync(HttpStatusCode.Gone, "Verification code has expired; register again to get a new one");
    }

    [Fact]
    public async Task Verify_WithoutAPendingRegistration_Returns404()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/register/verify", new { email = AuthFlow.NewEmail(), code = "123456" });

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "No pending registration for this email");
    }

    [Fact]
    public async Task RegisterAgain_SendsAFreshCode_AndOnlyTheNewOneWorks()
    {
        var email = AuthFlow.NewEmail();
        var client = factory.CreateClient();
        await client.PostAsJsonAsync("/api/auth/register", new { email, password = "Secret123", name = "Ada" });
        var first = await factory.Mailbox.WaitForVerificationCodeAsync(email);

        (await client.PostAsJsonAsync("/api/auth/register", new { email, password = "Secret456", name = "Ada" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var second = await factory.Mailbox.WaitForVerificationCodeAsync(email, alreadySeen: 1);

        if (first != second)
        {
            await (await client.PostAsJsonAsync("/api/auth/register/verify", new { email, code = first }))
                .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "Invalid verification code");
        }

        (await client.PostAsJsonAsync("/api/auth/register/verify", new { email, code = second })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await factory.LoginAsync(email, "Secret456")).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Register_WithAVerifiedEmail_Returns409()
    {
        var email = AuthFlow.NewEmail();
        await factory.RegisterAndVerifyAsync(email);

        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/register", new { email = email.ToUpperInvariant(), password = "Secret123", name = "Again" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "Email already registered");
    }

    [Theory]
    [InlineData("short1", "The length of 'Password' must be at least 8 characters. You entered 6 characters.")]
    [InlineData("lettersonly", "Password must contain at least one digit.")]
    [InlineData("12345678", "Password must contain at least one letter.")]
    public async Task Register_WithAWeakPassword_Returns400NamingThePassword(string password, string message)
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/register", new { email = AuthFlow.NewEmail(), password, name = "Ada" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, message);
        problem.GetProperty("errors").PropertyNames().ShouldBe(["password"]);
    }

    [Fact]
    public async Task Register_WithABadEmailAndNoName_Returns400ForBoth()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/register", new { email = "not-an-email", password = "Secret123", name = "" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "'Email' is not a valid email address.");
        problem.GetProperty("errors").PropertyNames().ShouldBe(["email", "name"]);
    }
}
