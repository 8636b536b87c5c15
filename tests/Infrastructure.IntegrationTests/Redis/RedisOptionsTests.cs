using System.Net;
using CleanBackend.Infrastructure.Redis;
using StackExchange.Redis;

namespace CleanBackend.Infrastructure.IntegrationTests.Redis;

public sealed class RedisOptionsTests
{
    [Fact]
    public void Url_InTheClientsOwnForm_IsTakenAsItIs()
    {
        var configuration = new RedisOptions { Url = "cache.internal:6380,password=secret,defaultDatabase=2" }.ToConfiguration();

        configuration.EndPoints.Single().ShouldBe(new DnsEndPoint("cache.internal", 6380));
        configuration.Password.ShouldBe("secret");
        configuration.DefaultDatabase.ShouldBe(2);
    }

    [Fact]
    public void Url_AsRedisUrl_GivesHostPortPasswordAndDatabase()
    {
        var configuration = new RedisOptions { Url = "redis://:p%40ss@cache.internal:6390/3" }.ToConfiguration();

        configuration.EndPoints.Single().ShouldBe(new DnsEndPoint("cache.internal", 6390));
        configuration.Password.ShouldBe("p@ss");
        configuration.User.ShouldBeNull();
        configuration.DefaultDatabase.ShouldBe(3);
        configuration.Ssl.ShouldBeFalse();
    }

    [Fact]
    public void Url_WithUserAndTls_GivesTheAclUserAndTls()
    {
        var configuration = new RedisOptions { Url = "rediss://app:secret@cache.internal" }.ToConfiguration();

        configuration.EndPoints.Single().ShouldBe(new DnsEndPoint("cache.internal", 6379));
        configuration.User.ShouldBe("app");
        configuration.Password.ShouldBe("secret");
        configuration.Ssl.ShouldBeTrue();
    }

    [Fact]
    public void HostPortPasswordAndDb_AreTheAlternativeToAUrl()
    {
        var configuration = new RedisOptions { Host = "10.0.0.7", Port = 6381, Password = "pw", Database = 4 }.ToConfiguration();

        configuration.EndPoints.Single().ShouldBe(new IPEndPoint(IPAddress.Parse("10.0.0.7"), 6381));
        configuration.Password.ShouldBe("pw");
        configuration.DefaultDatabase.ShouldBe(4);
    }

    [Fact]
    public void Configuration_NeverGivesUpOnADownServer_AndNeverQueuesCommandsWhileItIsDown()
    {
        var configuration = new RedisOptions { Url = "127.0.0.1:6379" }.ToConfiguration();

        configuration.AbortOnConnectFail.ShouldBeFalse();
        configuration.BacklogPolicy.ShouldBe(BacklogPolicy.FailFast);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("", "  ", false)]
    [InlineData("127.0.0.1:6379", null, true)]
    [InlineData(null, "redis", true)]
    public void IsConfigured_WhenAUrlOrAHostIsGiven(string? url, string? host, bool configured) =>
        new RedisOptions { Url = url, Host = host }.IsConfigured.ShouldBe(configured);

    [Theory]
    [InlineData("redis://cache:notaport", "REDIS_URL")]
    [InlineData("redis://cache:6379/x", "REDIS_URL")]
    public void Validation_OfABadUrl_NamesTheVariable(string url, string variable)
    {
        var result = new RedisOptionsValidator().Validate(null, new RedisOptions { Url = url });

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldStartWith($"{variable}: '{url}'");
    }

    [Fact]
    public void Validation_OfBadParts_NamesEachVariable()
    {
        var result = new RedisOptionsValidator().Validate(null, new RedisOptions { Host = "cache", Port = 70000, Database = -1 });

        result.Failures!.ShouldBe(["REDIS_PORT: '70000' is not a port number.", "REDIS_DB: '-1' is not a database number (0 or more)."]);
    }

    [Fact]
    public void Validation_WithoutRedis_Succeeds() =>
        new RedisOptionsValidator().Validate(null, new RedisOptions { Port = 0 }).Succeeded.ShouldBeTrue();
}
