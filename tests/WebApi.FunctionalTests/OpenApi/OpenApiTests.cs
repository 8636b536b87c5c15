using System.Net;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.OpenApi;

[Collection(SharedServiceCollection.Name)]
public sealed class OpenApiTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task Document_DescribesTheRoutesWithSchemasAndTheBearerScheme()
    {
        var document = await (await factory.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths");
        paths.PropertyNames().ShouldBe([
            "/api/admin/audit-logs", "/api/admin/performance", "/api/admin/stats", "/api/admin/users", "/api/admin/users/{id}",
            "/api/admin/users/{id}/credits", "/api/admin/users/{id}/deactivate", "/api/admin/users/{id}/reactivate", "/api/admin/users/{id}/roles",
            "/api/admin/users/{id}/usage", "/api/admin/users/{id}/usage/history",
            "/api/analytics/chat-stats", "/api/analytics/dashboard", "/api/analytics/generation-metrics",
            "/api/analytics/popular-prompts", "/api/analytics/stats", "/api/api-keys", "/api/api-keys/{id}",
            "/api/assets", "/api/assets/{id}", "/api/assets/{id}/download",
            "/api/auth/change-password", "/api/auth/login", "/api/auth/logout", "/api/auth/logout-all", "/api/auth/me",
            "/api/auth/refresh", "/api/auth/register", "/api/auth/register/verify", "/api/auth/request-password-reset",
            "/api/auth/reset-password", "/api/auth/sessions", "/api/auth/sessions/{id}",
            "/api/chats", "/api/chats/{id}", "/api/events", "/api/generate", "/api/jobs", "/api/jobs/{id}", "/api/jobs/{id}/cancel",
            "/api/jobs/{id}/convert", "/api/jobs/{id}/events", "/api/messages", "/api/usage", "/api/usage/history", "/api/users", "/api/users/me", "/api/users/{id}",
            "/api/webhooks", "/api/webhooks/{id}", "/api/webhooks/{id}/deliveries", "/api/webhooks/{id}/deliveries/{deliveryId}/redeliver",
            "/api/webhooks/{id}/rotate-secret", "/api/webhooks/{id}/test",
            "/assets/{key}", "/health", "/health/live", "/health/ready", "/metrics"]);

        var upload = paths.GetProperty("/api/assets").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        upload.TryGetProperty("multipart/form-data", out var form).ShouldBeTrue();
        form.GetProperty("schema").GetProperty("required").EnumerateArray().Select(r => r.GetString()).ShouldBe(["file"]);
        var file = form.GetProperty("schema").GetProperty("properties").GetProperty("file");
        (file.GetProperty("type").GetString(), file.GetProperty("format").GetString()).ShouldBe(("string", "binary"));
        var download = paths.GetProperty("/api/assets/{id}/download").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        download.GetProperty("application/octet-stream").GetProperty("schema").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/Stream");
        document.GetProperty("components").GetProperty("schemas").GetProperty("Stream").GetProperty("format").GetString().ShouldBe("binary");
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        scheme.GetProperty("type").GetString().ShouldBe("http");
        scheme.GetProperty("scheme").GetString().ShouldBe("bearer");

        var list = paths.GetProperty("/api/chats").GetProperty("get");
        list.GetProperty("operationId").GetString().ShouldBe("ListChats");
        list.GetProperty("security").EnumerateArray().Single().TryGetProperty("Bearer", out _).ShouldBeTrue();
        list.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldBe(["page", "limit", "search"]);
        list.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/PaginatedListOfChatDto");

        var create = paths.GetProperty("/api/chats").GetProperty("post");
        create.GetProperty("responses").GetProperty("400").GetProperty("content").TryGetProperty("application/problem+json", out _).ShouldBeTrue();

        var login = paths.GetProperty("/api/auth/login").GetProperty("post");
        login.TryGetProperty("security", out _).ShouldBeFalse();
        login.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/AuthResponse");

        var health = paths.GetProperty("/health").GetProperty("get");
        health.TryGetProperty("security", out _).ShouldBeFalse();

        var chatSchema = document.GetProperty("components").GetProperty("schemas").GetProperty("ChatDto").GetProperty("properties");
        chatSchema.PropertyNames().ShouldBe(["createdAt", "id", "lastMessageAt", "messageCount", "title", "updatedAt"]);
        // Answers are written whole, so the client can rely on every property being there.
        document.GetProperty("components").GetProperty("schemas").GetProperty("ChatDto").GetProperty("required").EnumerateArray().Select(r => r.GetString())
            .ShouldBe(["createdAt", "id", "lastMessageAt", "messageCount", "title", "updatedAt"]);
    }

    [Fact]
    public async Task Document_LeavesOutTheWebAppsCompatibilitySurface()
    {
        var document = await (await factory.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths").PropertyNames();
        paths.ShouldNotBeEmpty();
        paths.Where(p => p.StartsWith("/legacy", StringComparison.OrdinalIgnoreCase)).ShouldBeEmpty();
        document.GetProperty("components").GetProperty("schemas").PropertyNames().Where(s => s.StartsWith("Legacy", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Document_EveryOperation_HasAnIdATypedAnswerAndProblemDetailsForErrors()
    {
        var document = await (await factory.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync(HttpStatusCode.OK);
        var operationIds = new List<string>();
        var gaps = new List<string>();

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (!operation.Value.TryGetProperty("operationId", out var id))
                {
                    gaps.Add($"{name}: no operationId");
                }
                else
                {
                    operationIds.Add(id.GetString()!);
                }

                var responses = operation.Value.GetProperty("responses");
                var secured = operation.Value.TryGetProperty("security", out _);
                if (secured && !responses.TryGetProperty("401", out _))
                {
                    gaps.Add($"{name}: secured without a 401 answer");
                }

                foreach (var response in responses.EnumerateObject())
                {
                    var content = response.Value.TryGetProperty("content", out var c) ? c.EnumerateObject().ToList() : [];
                    if (response.Name.StartsWith('2') && response.Name is not ("204" or "206") && content.Count == 0)
                    {
                        gaps.Add($"{name}: {response.Name} has no schema");
                    }

                    foreach (var media in content)
                    {
                        var schema = media.Value.GetProperty("schema");
                        if (!schema.TryGetProperty("$ref", out _) && !schema.TryGetProperty("type", out _) && !schema.TryGetProperty("items", out _))
                        {
                            gaps.Add($"{name}: {response.Name} {media.Name} is untyped");
                        }

                        // Health answers keep their own body when unhealthy; every other error is problem details.
                        if (response.Name[0] is '4' or '5' && !path.Name.StartsWith("/health", StringComparison.Ordinal)
                            && (media.Name != "application/problem+json" || schema.GetProperty("$ref").GetString() != "#/components/schemas/ProblemDetails"))
                        {
                            gaps.Add($"{name}: {response.Name} is not problem details");
                        }
                    }
                }
            }
        }

        gaps.ShouldBeEmpty();
        operationIds.ShouldBeUnique();
        operationIds.Count.ShouldBe(75);
    }

    [Fact]
    public async Task Document_DescribesImageInputsAndMeshSettings_OfRequestsAndJobs()
    {
        var document = await (await factory.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync(HttpStatusCode.OK);
        var schemas = document.GetProperty("components").GetProperty("schemas");

        var command = schemas.GetProperty("CreateGenerationJobCommand");
        command.GetProperty("properties").PropertyNames().ShouldBe(
            ["chatId", "formats", "imageAssetIds", "negativePrompt", "prompt", "quality", "seed", "targetPolycount", "topology"]);
        // A prompt or images: neither is required on its own.
        command.TryGetProperty("required", out _).ShouldBeFalse();
        var images = command.GetProperty("properties").GetProperty("imageAssetIds");
        (images.GetProperty("type").GetString(), images.GetProperty("items").GetProperty("format").GetString()).ShouldBe(("array", "guid"));
        command.GetProperty("properties").GetProperty("targetPolycount").GetProperty("type").GetString().ShouldBe("integer");

        var job = schemas.GetProperty("JobDto");
        job.GetProperty("required").EnumerateArray().Select(r => r.GetString()).ShouldContain("imageAssetIds");
        job.GetProperty("required").EnumerateArray().Select(r => r.GetString()).ShouldContain("targetPolycount");
        job.GetProperty("required").EnumerateArray().Select(r => r.GetString()).ShouldContain("topology");
        job.GetProperty("properties").GetProperty("topology").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/MeshTopology");
        schemas.GetProperty("MeshTopology").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ShouldBe(["triangle", "quad"]);
        schemas.GetProperty("AssetFormat").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ShouldContain("stl");
    }

    [Fact]
    public async Task SwaggerUi_IsServedAtApiDocs()
    {
        var client = factory.CreateClient();

        var page = await client.GetAsync("/api-docs/index.html");

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("swagger-ui");
        html.ShouldContain("/openapi/v1.json");
    }

    [Fact]
    public async Task Document_EveryRateLimitedOperation_DocumentsTooManyRequestsWithRetryAfter()
    {
        // The global limiter covers every operation, so each one may answer 429.
        var document = await (await factory.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync(HttpStatusCode.OK);
        var gaps = new List<string>();
        var limited = 0;

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (!operation.Value.GetProperty("responses").TryGetProperty("429", out var tooMany))
                {
                    gaps.Add($"{name}: no 429");
                    continue;
                }

                limited++;
                var schema = tooMany.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
                if (schema.GetProperty("$ref").GetString() != "#/components/schemas/ProblemDetails")
                {
                    gaps.Add($"{name}: 429 is not problem details");
                }

                if (tooMany.GetProperty("headers").GetProperty("Retry-After").GetProperty("schema").GetProperty("type").GetString() != "integer")
                {
                    gaps.Add($"{name}: 429 without a Retry-After in seconds");
                }
            }
        }

        gaps.ShouldBeEmpty();
        limited.ShouldBe(75);
    }

    [Fact]
    public async Task Document_OperationsUnderUsageLimits_DescribeTheRateLimitFields_OnEveryAnswer()
    {
        var document = await (await factory.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync(HttpStatusCode.OK);
        var paths = document.GetProperty("paths");

        string[] Fields(string path, string method, string status) =>
            paths.GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status).TryGetProperty("headers", out var headers)
                ? [.. headers.PropertyNames().Where(n => n.StartsWith("RateLimit", StringComparison.Ordinal))]
                : [];

        foreach (var (path, status) in new[] { ("/api/jobs", "202"), ("/api/generate", "202"), ("/api/chats", "201"), ("/api/messages", "201"), ("/api/assets", "201") })
        {
            Fields(path, "post", status).ShouldBe(["RateLimit", "RateLimit-Policy"], path);
            Fields(path, "post", "429").ShouldBe(["RateLimit", "RateLimit-Policy"], path);
        }

        Fields("/api/jobs", "post", "402").ShouldBe(["RateLimit", "RateLimit-Policy"]);
        Fields("/api/jobs", "get", "200").ShouldBeEmpty();
    }
}
