using System.Net;
using System.Text;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Errors;

public sealed class RequestSizeTests : IDisposable
{
    private readonly CleanBackendFactory _factory = CleanBackendFactory.With(new Dictionary<string, string?> { ["Server:MaxRequestBodyBytes"] = "1024" });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task BodyOverTheLimit_Returns413Problem()
    {
        var user = await _factory.CreateUserAsync();
        var body = "{\"title\": \"" + new string('x', 4096) + "\"}";

        var response = await _factory.CreateClient(user.AccessToken).PostAsync("/api/chats", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "The request body is larger than 1024 bytes.");
    }
}
