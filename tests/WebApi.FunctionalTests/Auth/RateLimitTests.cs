using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Auth;

/// <summary>Rate limits are off in the other tests; here they are on, with small numbers.</summary>
public sealed class RateLimitTests : IDisposable
{
    private readonly CleanBackendFactory _factory = CleanBackendFactory.With(new Dictionary<string, string?>
    {
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:Login:PermitLimit"] = "3",
        ["RateLimiting:Login:WindowSeconds"] = "600",
        ["RateLimiting:AccountByEmail:PermitLimit"] = "2",
        ["RateLimiting:AccountByEmail:WindowSeconds"] = "600",
        ["RateLimiting:AccountByIp:PermitLimit"] = "5",
        ["RateLimiting:AccountByIp:WindowSeconds"] = "600",
    });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Login_BeyondThePerAddressLimit_Returns429WithRetryAfter()
    {
        var client = _factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            (await client.PostAsJsonAsync("/api/auth/login", new { email = "a@example.com", password = "Wrong1234" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var limited = await client.PostAsJsonAsync("/api/auth/login", new { email = "a@example.com", password = "Wrong1234" });

        var problem = await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, problemError: null);
        problem.GetProperty("error").GetString()!.ShouldStartWith("Too many requests; try again in ");
        int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(1, 600);
    }

    [Fact]
    public async Task Register_BeyondThePerEmailLimit_Returns429_WhileAnotherEmailStillGetsThrough()
    {
        var client = _factory.CreateClient();
        var email = AuthFlow.NewEmail();
        for (var i = 0; i < 2; i++)
        {
            (await client.PostAsJsonAsync("/api/auth/register", new { email, password = "Secret123", name = "Ada" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var sameEmail = await client.PostAsJsonAsync("/api/auth/register", new { Email = email.ToUpperInvariant(), password = "Secret123", name = "Ada" });
        var otherEmail = await client.PostAsJsonAsync("/api/auth/register", new { email = AuthFlow.NewEmail(), password = "Secret123", name = "Ada" });

        sameEmail.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        sameEmail.Headers.Contains("Retry-After").ShouldBeTrue();
        otherEmail.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
