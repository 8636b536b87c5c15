using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>The account steps most tests start from, done through the public API.</summary>
public static class AuthFlow
{
    public static string NewEmail() => $"person-{Guid.NewGuid():N}@example.com";

    /// <summary>Registers, reads the code from the mailbox and verifies: a signed-in new user.</summary>
    public static async Task<JsonElement> RegisterAndVerifyAsync(this CleanBackendFactory factory, string email, string password = "Secret123", string name = "Ada Lovelace")
    {
        var client = factory.CreateClient();
        var seen = factory.Mailbox.MessagesTo(email).Count;
        (await client.PostAsJsonAsync("/api/auth/register", new { email, password, name })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var code = await factory.Mailbox.WaitForVerificationCodeAsync(email, seen);
        return await (await client.PostAsJsonAsync("/api/auth/register/verify", new { email, code })).ReadJsonAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonElement> LoginAsync(this CleanBackendFactory factory, string email, string password = "Secret123") =>
        await (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password })).ReadJsonAsync(HttpStatusCode.OK);

    public static string Token(this JsonElement auth) => auth.GetProperty("token").GetString()!;

    public static string RefreshToken(this JsonElement auth) => auth.GetProperty("refreshToken").GetString()!;
}
