using CleanBackend.Infrastructure.Configuration;
using CleanBackend.Infrastructure.Identity;
using CleanBackend.Infrastructure.Jobs;
using CleanBackend.Infrastructure.ModelServers;
using CleanBackend.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moq;

namespace CleanBackend.Infrastructure.IntegrationTests.Configuration;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("15m", 900)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 604800)]
    [InlineData("45", 45)]
    [InlineData(" 2H ", 7200)]
    public void Duration_ParsesTheSeedsNotation(string text, int seconds)
    {
        Duration.TryParse(text, out var duration).ShouldBeTrue();
        duration.ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("15x")]
    [InlineData("-5m")]
    [InlineData("0m")]
    [InlineData("1.5h")]
    public void Duration_RefusesWhatIsNotADuration(string text)
    {
        Duration.TryParse(text, out _).ShouldBeFalse();
        Should.Throw<FormatException>(() => Duration.Parse(text, "JWT_EXPIRES_IN")).Message.ShouldStartWith("JWT_EXPIRES_IN:");
    }

    [Theory]
    [InlineData("inline", true)]
    [InlineData("url", true)]
    [InlineData("URL", false)]
    [InlineData("base64", false)]
    public void ModelServerImageInputs_AreInlineOrUrl(string value, bool valid)
    {
        var result = new ModelServerOptionsValidator().Validate(null, new ModelServerOptions { ImageInputs = value });

        result.Succeeded.ShouldBe(valid);
        if (!valid)
        {
            result.FailureMessage!.ShouldContain($"ModelServer:ImageInputs: '{value}' is not one of inline, url.");
        }
    }

    [Fact]
    public void ModelServerImageInputs_AreInlineByDefault()
    {
        new ModelServerOptions().ImageInputs.ShouldBe("inline");
    }

    [Theory]
    [InlineData(null, null, 0)]
    [InlineData("http://127.0.0.1:5000", null, JobQueueOptions.RemoteServerConcurrency)]
    [InlineData(null, "3", 3)]
    [InlineData("http://127.0.0.1:5000", "5", 5)]
    public void JobConcurrency_WhenUnset_DependsOnTheModelServer(string? modelServerUrl, string? concurrency, int expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ModelServer:Url"] = modelServerUrl,
            ["Jobs:Concurrency"] = concurrency,
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddInfrastructureServices(configuration).BuildServiceProvider();

        var jobs = services.GetRequiredService<IOptions<JobQueueOptions>>().Value;

        // 0 stands for the built-in generator's default, which depends on the machine.
        jobs.Concurrency.ShouldBe(expected == 0 ? Math.Min(4 * Environment.ProcessorCount, 64) : expected);
    }

    [Fact]
    public void DatabaseOptions_UnknownProvider_NamesTheVariable()
    {
        var result = new DatabaseOptionsValidator().Validate(null, new DatabaseOptions { Provider = "oracle" });

        result.Failed.ShouldBeTrue();
        result.Failures!.ShouldHaveSingleItem().ShouldBe("DATABASE_PROVIDER: 'oracle' is not one of sqlite, sqlserver, postgres.");
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlserver")]
    public void DatabaseOptions_ServerWithoutConnectionString_NamesTheVariable(string provider)
    {
        var result = new DatabaseOptionsValidator().Validate(null, new DatabaseOptions { Provider = provider });

        result.Failures!.ShouldHaveSingleItem().ShouldStartWith("DATABASE_URL:");
    }

    [Fact]
    public void DatabaseOptions_SqliteWithoutConnectionString_UsesAFileUnderData()
    {
        var options = new DatabaseOptions();

        new DatabaseOptionsValidator().Validate(null, options).Succeeded.ShouldBeTrue();
        options.EffectiveConnectionString.ShouldBe("Data Source=data/cleanbackend.db");
    }

    [Fact]
    public void PostgresConnectionString_AcceptsTheUrlForm()
    {
        var keywords = PostgresConnectionString.FromUrlOrKeywords("postgres://app:s%40cret@db.internal:6543/generator");

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(keywords);
        builder.Host.ShouldBe("db.internal");
        builder.Port.ShouldBe(6543);
        builder.Database.ShouldBe("generator");
        builder.Username.ShouldBe("app");
        builder.Password.ShouldBe("s@cret");
    }

    [Theory]
    [InlineData("Production", null, "JWT_SECRET: is required outside Development (at least 32 bytes).")]
    [InlineData("Production", "too-short", "JWT_SECRET: must be at least 32 bytes long.")]
    [InlineData("Development", "too-short", "JWT_SECRET: must be at least 32 bytes long.")]
    public void JwtOptions_BadSecret_NamesTheVariable(string environment, string? secret, string expected)
    {
        var result = Validator(environment).Validate(null, new JwtOptions { Secret = secret });

        result.Failures!.ShouldHaveSingleItem().ShouldBe(expected);
    }

    [Fact]
    public void JwtOptions_NoSecretInDevelopment_IsAllowed()
    {
        Validator("Development").Validate(null, new JwtOptions()).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void JwtOptions_BadDurations_NameTheirVariables()
    {
        var result = Validator("Development").Validate(null, new JwtOptions { ExpiresIn = "soon", RefreshTokenExpiresIn = "later" });

        result.Failures!.ShouldBe([
            "JWT_EXPIRES_IN: 'soon' is not a duration such as 15m or 1h.",
            "REFRESH_TOKEN_EXPIRES_IN: 'later' is not a duration such as 7d.",
        ]);
    }

    private static IValidateOptions<JwtOptions> Validator(string environment)
    {
        var host = new Mock<IHostEnvironment>();
        host.SetupGet(h => h.EnvironmentName).Returns(environment);
        return new JwtOptionsValidator(host.Object);
    }
}
