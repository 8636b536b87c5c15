using System.Net;
using System.Text.Json;

namespace CleanBackend.WebApi.FunctionalTests.Support;

public static class HttpAssertions
{
    /// <summary>Reads a problem-details answer and checks the members every error carries.</summary>
    /// <param name="response">The answer.</param>
    /// <param name="status">The status it must have.</param>
    /// <param name="problemError">Its <c>error</c>, or null when the test checks that itself.</param>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? problemError)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var json = JsonDocument.Parse(body).RootElement;
        json.TryGetProperty("title", out _).ShouldBeTrue(body);
        json.GetProperty("status").GetInt32().ShouldBe((int)status);
        json.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        json.GetProperty("type").GetString().ShouldNotBeNullOrWhiteSpace();
        var error = json.GetProperty("error").GetString();
        error.ShouldNotBeNullOrWhiteSpace();
        if (problemError is not null)
        {
            error.ShouldBe(problemError);
        }

        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        json.GetProperty("traceId").GetString().ShouldBe(requestId);
        body.ShouldNotContain("   at ");
        return json;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        return JsonDocument.Parse(body).RootElement;
    }

    public static string[] Strings(this JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    public static string[] PropertyNames(this JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
