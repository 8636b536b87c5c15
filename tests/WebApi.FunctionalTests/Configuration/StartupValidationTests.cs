using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.Extensions.Options;

namespace CleanBackend.WebApi.FunctionalTests.Configuration;

/// <summary>A bad setting stops the service at start-up with a message that names the variable to fix.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Database:Provider", "oracle", "DATABASE_PROVIDER: 'oracle' is not one of sqlite, sqlserver, postgres.")]
    [InlineData("Server:Port", "70000", "PORT: 70000 is not a TCP port (1-65535).")]
    [InlineData("Jwt:Secret", "short", "JWT_SECRET: must be at least 32 bytes long.")]
    [InlineData("Jwt:ExpiresIn", "forever", "JWT_EXPIRES_IN: 'forever' is not a duration such as 15m or 1h.")]
    [InlineData("Cors:AllowedOrigins", "ftp://files.example", "ALLOWED_ORIGINS: ftp://files.example is not an http(s) origin.")]
    [InlineData("App:FrontendUrl", "not a url", "FRONTEND_URL: 'not a url' is not an absolute URL.")]
    [InlineData("Server:TrustedProxies", "10.0.0.300", "TRUSTED_PROXIES: 10.0.0.300 is not an IP address or network (e.g. 10.0.0.5 or 172.16.0.0/12).")]
    public void BadSetting_StopsStartUpNamingTheVariable(string key, string value, string message)
    {
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?> { [key] = value });

        var error = Should.Throw<OptionsValidationException>(() => factory.CreateClient());

        error.Failures.ShouldContain(message);
    }

    [Fact]
    public void BadRedisUrl_StopsStartUpNamingTheVariable()
    {
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?> { ["Redis:Url"] = "redis://cache:6379/zero" });

        var error = Should.Throw<OptionsValidationException>(() => factory.CreateClient());

        error.Failures.ShouldHaveSingleItem().ShouldStartWith("REDIS_URL: 'redis://cache:6379/zero' is not a Redis configuration string or redis:// URL");
    }

    [Fact]
    public void MissingJwtSecretOutsideDevelopment_StopsStartUp()
    {
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?> { ["Jwt:Secret"] = string.Empty }, environment: "Production");

        var error = Should.Throw<OptionsValidationException>(() => factory.CreateClient());

        error.Failures.ShouldContain("JWT_SECRET: is required outside Development (at least 32 bytes).");
    }

    [Fact]
    public void BadLogLevel_StopsStartUpNamingTheVariable()
    {
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?> { ["Log:Level"] = "loud" });

        var error = Should.Throw<InvalidOperationException>(() => factory.CreateClient());

        error.Message.ShouldBe("LOG_LEVEL: 'loud' is not one of error, warn, info, debug, verbose.");
    }
}
