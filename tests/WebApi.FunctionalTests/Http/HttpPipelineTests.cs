using System.Net;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Http;

[Collection(SharedServiceCollection.Name)]
public sealed class HttpPipelineTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task RequestId_WhenWellFormed_IsEchoed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("X-Request-Id", "client-abc.123");

        var response = await factory.CreateClient().SendAsync(request);

        response.Headers.GetValues("X-Request-Id").ShouldBe(["client-abc.123"]);
    }

    [Theory]
    [InlineData("has spaces in it")]
    [InlineData("<script>")]
    public async Task RequestId_WhenMalformed_IsReplacedByANewOne(string incoming)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.TryAddWithoutValidation("X-Request-Id", incoming);

        var response = await factory.CreateClient().SendAsync(request);

        Guid.TryParse(response.Headers.GetValues("X-Request-Id").Single(), out _).ShouldBeTrue();
    }

    [Fact]
    public async Task EveryResponse_CarriesARequestIdAndSecurityHeaders()
    {
        var response = await factory.CreateClient().GetAsync("/api/nothing-here");

        response.Headers.GetValues("X-Request-Id").Single().ShouldNotBeNullOrEmpty();
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        response.Headers.GetValues("Content-Security-Policy").ShouldBe(["default-src 'none'; frame-ancestors 'none'"]);
    }

    [Fact]
    public async Task Cors_AllowedOrigin_GetsThePreflightAnswer()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/chats");
        request.Headers.Add("Origin", "http://localhost:3000");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        var response = await factory.CreateClient().SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["http://localhost:3000"]);
        response.Headers.GetValues("Access-Control-Allow-Credentials").ShouldBe(["true"]);
        response.Headers.GetValues("Access-Control-Allow-Methods").Single().ShouldContain("POST");
    }

    [Fact]
    public async Task Cors_OtherOrigin_GetsNoCorsHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/chats");
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await factory.CreateClient().SendAsync(request);

        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }
}
