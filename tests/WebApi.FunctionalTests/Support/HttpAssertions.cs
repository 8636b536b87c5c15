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

    /// <summary>Reads an error under /legacy: plain JSON with the <c>error</c> sentence the web app shows, and the trace id.</summary>
    /// <param name="response">The answer.</param>
    /// <param name="status">The status it must have.</param>
    /// <param name="error">Its <c>error</c>.</param>
    /// <param name="fields">For a validation error, the fields named in <c>errors</c>.</param>
    public static async Task<JsonElement> ShouldBeLegacyErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string error, params string[] fields)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        var json = JsonDocument.Parse(body).RootElement;
        json.PropertyNames().ShouldBe(fields.Length == 0 ? ["error", "traceId"] : ["error", "errors", "traceId"], body);
        json.GetProperty("error").GetString().ShouldBe(error);
        json.GetProperty("traceId").GetString().ShouldBe(response.Headers.GetValues("X-Request-Id").Single());
        if (fields.Length > 0)
        {
            json.GetProperty("errors").PropertyNames().ShouldBe(fields.Order(StringComparer.Ordinal).ToArray());
        }

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
