using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Errors;

/// <summary>Bad input of every kind gets a 4xx problem-details answer, never a 500.</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class ErrorResponseTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task MalformedJson_Returns400Problem()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).PostAsync("/api/chats", Json("{\"title\": \"unterminated"));

        var json = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The request body is not valid JSON for this operation.");
        json.GetProperty("errors").EnumerateObject().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task WrongTypeInBody_Returns400ProblemNamingTheField()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).PostAsync("/api/chats", Json("{\"title\": 12345}"));

        var json = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The request body is not valid JSON for this operation.");
        json.GetProperty("errors").TryGetProperty("title", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task WrongTypeInQuery_Returns400ProblemNamingTheParameter()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).GetAsync("/api/chats?page=abc");

        var json = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The value 'abc' is not valid.");
        json.GetProperty("errors").GetProperty("page").Strings().ShouldBe(["The value 'abc' is not valid."]);
    }

    [Fact]
    public async Task EmptyBody_Returns400Problem()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).PostAsync("/api/chats", Json(string.Empty));

        var json = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "A non-empty request body is required.");
        json.GetProperty("errors").PropertyNames().ShouldBe(["body"]);
    }

    [Fact]
    public async Task ValidationFailure_Returns400ProblemWithErrorsByField()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).GetAsync("/api/chats?limit=500");

        var json = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "'Limit' must be between 1 and 100. You entered 500.");
        json.GetProperty("errors").PropertyNames().ShouldBe(["limit"]);
        json.GetProperty("errors").GetProperty("limit").Strings().ShouldBe(["'Limit' must be between 1 and 100. You entered 500."]);
    }

    [Fact]
    public async Task UnknownRoute_Returns404Problem()
    {
        var response = await factory.CreateClient().GetAsync("/api/no-such-thing");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Not found");
    }

    [Fact]
    public async Task InvalidId_Returns404Problem()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).GetAsync("/api/chats/not-a-guid");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Not found");
    }

    [Fact]
    public async Task WrongMethod_Returns405Problem()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).PutAsync($"/api/chats/{Guid.CreateVersion7()}", Json("{}"));

        await response.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed, "Method not allowed");
    }

    [Fact]
    public async Task WrongContentType_Returns415Problem()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).PostAsync("/api/chats", new StringContent("title=x", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "Unsupported media type");
    }

    [Fact]
    public async Task NoToken_Returns401Problem()
    {
        var response = await factory.CreateClient().GetAsync("/api/chats");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Authentication required");
        response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")]
    public async Task BadToken_Returns401Problem(string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await client.GetAsync("/api/chats");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Invalid or expired token");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
