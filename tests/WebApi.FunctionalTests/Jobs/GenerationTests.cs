using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Jobs;

[Collection(SharedServiceCollection.Name)]
public sealed class GenerationTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task Generate_Returns202AtOnce_AndTheJobCompletesWithDownloadableFiles()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);

        var response = await client.PostAsJsonAsync("/api/generate", new { prompt = "a red cube", formats = new[] { "glb", "obj", "ply" }, seed = 42, quality = "draft" });

        var created = await response.ReadJsonAsync(HttpStatusCode.Accepted);
        created.PropertyNames().ShouldBe(["job", "ok"]);
        var job = created.GetProperty("job");
        job.PropertyNames().ShouldBe([
            "assets", "chatId", "completedAt", "createdAt", "durationMs", "error", "formats", "id", "imageAssetIds", "negativePrompt",
            "progress", "prompt", "quality", "seed", "startedAt", "status", "targetPolycount", "thumbnailUrl", "title", "topology"]);
        job.GetProperty("prompt").GetString().ShouldBe("a red cube");
        job.GetProperty("formats").Strings().ShouldBe(["glb", "obj", "ply"]);
        job.GetProperty("seed").GetInt64().ShouldBe(42);
        job.GetProperty("quality").GetString().ShouldBe("draft");
        job.GetProperty("chatId").ValueKind.ShouldBe(JsonValueKind.Null);

        var done = await client.WaitForJobAsync(job.GetProperty("id").GetGuid());

        done.GetProperty("progress").GetInt32().ShouldBe(100);
        done.GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
        done.GetProperty("durationMs").GetInt64().ShouldBeGreaterThanOrEqualTo(0);
        done.GetProperty("startedAt").GetDateTime().ShouldBeLessThanOrEqualTo(done.GetProperty("completedAt").GetDateTime());
        var assets = done.GetProperty("assets").EnumerateArray().ToList();
        assets.Select(a => a.GetProperty("format").GetString()).Order().ShouldBe(["glb", "mtl", "obj", "ply", "png"]);
        foreach (var asset in assets)
        {
            asset.GetProperty("jobId").GetGuid().ShouldBe(job.GetProperty("id").GetGuid());
            var file = await client.GetAsync($"/api/assets/{asset.GetProperty("id").GetGuid()}/download");
            file.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await file.Content.ReadAsByteArrayAsync()).Length.ShouldBe((int)asset.GetProperty("sizeBytes").GetInt64());
        }

        var glb = assets.Single(a => a.GetProperty("format").GetString() == "glb");
        (await (await factory.CreateClient().GetAsync(new Uri(glb.GetProperty("url").GetString()!).PathAndQuery)).Content.ReadAsByteArrayAsync())[..4].ShouldBe("glTF"u8.ToArray());
    }

    [Fact]
    public async Task Generate_InAChat_AddsThePromptAndThenTheModelToTheChat()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var chatId = (await (await client.PostAsJsonAsync("/api/chats", new { title = "Furniture" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var job = (await (await client.PostAsJsonAsync("/api/generate", new { prompt = "a wooden chair", chatId })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job");
        await client.WaitForJobAsync(job.GetProperty("id").GetGuid());

        job.GetProperty("chatId").GetGuid().ShouldBe(chatId);
        var messages = (await (await client.GetAsync($"/api/messages?chatId={chatId}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        messages.Count.ShouldBe(2);
        messages[0].GetProperty("role").GetString().ShouldBe("user");
        messages[0].GetProperty("content").GetString().ShouldBe("a wooden chair");
        messages[1].GetProperty("role").GetString().ShouldBe("assistant");
        messages[1].GetProperty("content").GetString().ShouldBe("Your model is ready: a wooden chair");
        messages[1].GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("type").GetString()).Order().ShouldBe(["image", "model"]);
    }

    [Fact]
    public async Task CreateJob_WithAChat_DoesNotTouchTheChat()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var chatId = (await (await client.PostAsJsonAsync("/api/chats", new { title = "Quiet" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var job = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a blue sphere", chatId })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job");
        await client.WaitForJobAsync(job.GetProperty("id").GetGuid());

        (await (await client.GetAsync($"/api/chats/{chatId}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("messageCount").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Generate_WithTheSameIdempotencyKey_ReturnsTheFirstJob()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);

        async Task<Guid> SendAsync(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = JsonContent.Create(new { prompt = "a green cone" }) };
            request.Headers.Add("Idempotency-Key", key);
            return (await (await client.SendAsync(request)).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
        }

        var first = await SendAsync("order-1");
        var retry = await SendAsync("order-1");
        var other = await SendAsync("order-2");

        retry.ShouldBe(first);
        other.ShouldNotBe(first);
        (await (await client.GetAsync("/api/jobs")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBe(2);
    }

    [Theory]
    [InlineData("""{"prompt":"ab"}""", "Prompt must be 3 to 1000 characters.")]
    [InlineData("""{"prompt":"a cube","formats":["png"]}""", "Formats are one to four of glb, obj, ply, stl.")]
    [InlineData("""{"prompt":"a cube","formats":[]}""", "Formats are one to four of glb, obj, ply, stl.")]
    [InlineData("""{"prompt":"a cube","seed":-1}""", "'Seed' must be between 0 and 4294967295. You entered -1.")]
    [InlineData("""{"prompt":"a cube","quality":"ultra"}""", "The request body is not valid JSON for this operation.")]
    public async Task Generate_WithBadInput_Returns400(string body, string error)
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).PostAsync("/api/generate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error);
        (await (await factory.CreateClient(user.AccessToken).GetAsync("/api/jobs")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Generate_InSomeoneElsesChat_Returns404()
    {
        var owner = await factory.CreateUserAsync();
        var stranger = await factory.CreateUserAsync();
        var chatId = (await (await factory.CreateClient(owner.AccessToken).PostAsJsonAsync("/api/chats", new { title = "Mine" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var response = await factory.CreateClient(stranger.AccessToken).PostAsJsonAsync("/api/generate", new { prompt = "a cube", chatId });

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Chat not found");
    }

    [Fact]
    public async Task ListAndRename_WorkOnTheCallersJobs()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a yellow torus" })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
        await client.WaitForJobAsync(id);

        var renamed = await (await client.PatchAsJsonAsync($"/api/jobs/{id}", new { title = "Donut" })).ReadJsonAsync(HttpStatusCode.OK);
        var completed = await (await client.GetAsync("/api/jobs?status=completed")).ReadJsonAsync(HttpStatusCode.OK);
        var queued = await (await client.GetAsync("/api/jobs?status=queued")).ReadJsonAsync(HttpStatusCode.OK);

        renamed.GetProperty("title").GetString().ShouldBe("Donut");
        completed.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid().ShouldBe(id);
        queued.GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Cancel_AFinishedJob_Returns409()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a cube" })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
        await client.WaitForJobAsync(id);

        var response = await client.PostAsync($"/api/jobs/{id}/cancel", null);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "The job has already finished (completed) and cannot be canceled.");
    }

    [Fact]
    public async Task JobEvents_StreamProgressThenCompleted_WithTheTokenInTheQuery()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "three blue spheres", quality = "standard" })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();

        using var response = await factory.CreateClient().GetAsync($"/api/jobs/{id}/events?access_token={user.AccessToken}", HttpCompletionOption.ResponseHeadersRead);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var events = await ReadEventsAsync(response);
        events[^1].Type.ShouldBe("completed");
        events[^1].Data.GetProperty("progress").GetInt32().ShouldBe(100);
        events[^1].Data.GetProperty("jobId").GetGuid().ShouldBe(id);
        events.Select(e => e.Type).ShouldBeSubsetOf(["queued", "started", "progress", "completed"]);
    }

    [Fact]
    public async Task AFinishedJob_IsEmailedOnlyToUsersWhoAskedForIt()
    {
        var asked = await factory.CreateUserAsync();
        var quiet = await factory.CreateUserAsync();
        var askedClient = factory.CreateClient(asked.AccessToken);
        (await askedClient.PatchAsJsonAsync("/api/users/me", new { settings = new { emailOnJobComplete = true } })).StatusCode.ShouldBe(HttpStatusCode.OK);

        foreach (var client in new[] { askedClient, factory.CreateClient(quiet.AccessToken) })
        {
            var id = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "a purple pyramid" })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
            await client.WaitForJobAsync(id);
        }

        var message = await factory.Mailbox.WaitForMessageAsync(asked.Email);
        message.ShouldContain("Subject: Your CleanBackend model is ready");
        message.ShouldContain("Your generation \"a purple pyramid\" is ready.");
        factory.Mailbox.MessagesTo(quiet.Email).ShouldBeEmpty();
    }

    private static async Task<List<(string Type, JsonElement Data)>> ReadEventsAsync(HttpResponseMessage response)
    {
        var events = new List<(string Type, JsonElement Data)>();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(patience.Token));
        string? type = null;
        while (await reader.ReadLineAsync(patience.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((type!, JsonDocument.Parse(line[6..]).RootElement));
            }
        }

        return events;
    }
}
