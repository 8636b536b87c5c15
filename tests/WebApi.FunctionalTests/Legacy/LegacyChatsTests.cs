using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CleanBackend.WebApi.FunctionalTests.Legacy;

/// <summary>The chat calls of the replaced backend's web app, through /legacy: a message is the prompt, the model the answer.</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class LegacyChatsTests(CleanBackendFactory factory)
{
    private static readonly string[] SummaryFields = ["createdAt", "id", "isPinned", "messageCount", "preview", "title", "updatedAt"];

    private static readonly string[] ChatFields = ["createdAt", "id", "isPinned", "messageCount", "messages", "title", "updatedAt"];

    [Fact]
    public async Task Create_Returns201WithTheId_AndTheChatOpensEmpty()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);

        var created = await (await client.PostAsJsonAsync("/legacy/api/chats", new { title = "A red castle on a hill with t..." })).ReadJsonAsync(HttpStatusCode.Created);

        created.PropertyNames().ShouldBe(SummaryFields);
        created.GetProperty("title").GetString().ShouldBe("A red castle on a hill with t...");
        created.GetProperty("isPinned").GetBoolean().ShouldBeFalse();
        created.GetProperty("preview").ValueKind.ShouldBe(JsonValueKind.Null);
        var chat = await (await client.GetAsync($"/legacy/api/chats/{created.GetProperty("id").GetGuid()}")).ReadJsonAsync(HttpStatusCode.OK);
        chat.PropertyNames().ShouldBe(ChatFields);
        chat.GetProperty("id").GetGuid().ShouldBe(created.GetProperty("id").GetGuid());
        chat.GetProperty("messages").GetArrayLength().ShouldBe(0);
        chat.GetProperty("createdAt").GetString().ShouldBe(created.GetProperty("createdAt").GetString());
    }

    [Fact]
    public async Task List_IsABareArray_PinnedFirstThenMostRecent_WithPreviewAndCount()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var oldest = await CreateChatAsync(client, "Oldest");
        var pinned = await CreateChatAsync(client, "Pinned");
        var newest = await CreateChatAsync(client, "Newest");
        (await client.PostAsJsonAsync("/api/messages", new { chatId = oldest, content = "An old message that is much longer than fifty characters, really" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.PatchAsJsonAsync($"/legacy/api/chats/{pinned}", new { isPinned = true })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var list = await (await client.GetAsync("/legacy/api/chats")).ReadJsonAsync(HttpStatusCode.OK);

        list.ValueKind.ShouldBe(JsonValueKind.Array);
        list.EnumerateArray().Select(c => c.GetProperty("title").GetString()).ShouldBe(["Pinned", "Oldest", "Newest"]);
        list.EnumerateArray().Select(c => c.GetProperty("isPinned").GetBoolean()).ShouldBe([true, false, false]);
        var withMessage = list[1];
        withMessage.PropertyNames().ShouldBe(SummaryFields);
        withMessage.GetProperty("id").GetGuid().ShouldBe(oldest);
        withMessage.GetProperty("messageCount").GetInt32().ShouldBe(1);
        withMessage.GetProperty("preview").GetString().ShouldBe("An old message that is much longer than fifty char");
        list[2].GetProperty("id").GetGuid().ShouldBe(newest);
        list[2].GetProperty("preview").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Patch_RenamesOrPinsOrUnpins_EachAlone()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = await CreateChatAsync(client, "Before");

        var renamed = await client.PatchAsJsonAsync($"/legacy/api/chats/{id}", new { title = "After" });
        var pinned = await client.PatchAsJsonAsync($"/legacy/api/chats/{id}", new { isPinned = true });

        (await renamed.ReadJsonAsync(HttpStatusCode.OK)).GetRawText().ShouldBe("""{"ok":true,"message":"Chat updated"}""");
        pinned.StatusCode.ShouldBe(HttpStatusCode.OK);
        var chat = await (await client.GetAsync($"/legacy/api/chats/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        chat.GetProperty("title").GetString().ShouldBe("After");
        chat.GetProperty("isPinned").GetBoolean().ShouldBeTrue();

        (await client.PatchAsJsonAsync($"/legacy/api/chats/{id}", new { isPinned = false })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await client.GetAsync($"/legacy/api/chats/{id}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("isPinned").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Patch_WithNothingToChange_OrABlankTitle_Returns400AsAJsonError()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = await CreateChatAsync(client, "Keep me");

        await (await client.PatchAsJsonAsync($"/legacy/api/chats/{id}", new { })).ShouldBeLegacyErrorAsync(HttpStatusCode.BadRequest, "Send a title or isPinned.", "body");
        await (await client.PatchAsJsonAsync($"/legacy/api/chats/{id}", new { title = " " })).ShouldBeLegacyErrorAsync(HttpStatusCode.BadRequest, "'Title' must not be empty.", "title");
        (await (await client.GetAsync($"/legacy/api/chats/{id}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("title").GetString().ShouldBe("Keep me");
    }

    [Fact]
    public async Task Delete_RemovesTheChat()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = await CreateChatAsync(client, "Short-lived");

        var response = await client.DeleteAsync($"/legacy/api/chats/{id}");

        (await response.ReadJsonAsync(HttpStatusCode.OK)).GetRawText().ShouldBe("""{"ok":true,"message":"Chat deleted"}""");
        await (await client.GetAsync($"/legacy/api/chats/{id}")).ShouldBeLegacyErrorAsync(HttpStatusCode.NotFound, "Chat not found");
    }

    [Fact]
    public async Task PostMessage_GeneratesAModel_ThatArrivesAsAnAssistantMessage_WhoseFilesTheBrowserCanFetch()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = await CreateChatAsync(client, "A small red boat...");

        var posted = await client.PostAsJsonAsync($"/legacy/api/chats/{id}/messages", new { role = "user", content = "A small red boat" });

        var started = await posted.ReadJsonAsync(HttpStatusCode.Created);
        started.PropertyNames().ShouldBe(["jobId", "ok", "status"]);
        started.GetProperty("status").GetString().ShouldBeOneOf("queued", "running", "completed");
        var jobId = started.GetProperty("jobId").GetGuid();
        var chat = await WaitForAssistantAsync(client, id);
        chat.GetProperty("messageCount").GetInt32().ShouldBe(2);
        var (question, answer) = (chat.GetProperty("messages")[0], chat.GetProperty("messages")[1]);
        question.PropertyNames().ShouldBe(["content", "id", "role", "timestamp", "type"]);
        question.GetProperty("role").GetString().ShouldBe("user");
        question.GetProperty("content").GetString().ShouldBe("A small red boat");
        question.GetProperty("type").GetString().ShouldBe("text");
        answer.PropertyNames().ShouldBe(["content", "id", "modelData", "role", "timestamp", "type"]);
        answer.GetProperty("type").GetString().ShouldBe("3d-model");
        answer.GetProperty("content").GetString().ShouldBe("Your model is ready: A small red boat");
        var model = answer.GetProperty("modelData");
        model.PropertyNames().ShouldBe(["glbUrl", "modelId", "mtlUrl", "objUrl", "plyUrl"]);
        model.GetProperty("modelId").GetGuid().ShouldBe(jobId);

        var anonymous = factory.CreateClient();
        anonymous.DefaultRequestHeaders.Add("Origin", "http://localhost:3000");
        using var glbResponse = await anonymous.GetAsync(PathOf(model, "glbUrl"));
        glbResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        glbResponse.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe("http://localhost:3000");
        var glb = await glbResponse.Content.ReadAsByteArrayAsync();
        glb[..4].ShouldBe("glTF"u8.ToArray());
        BitConverter.ToUInt32(glb, 4).ShouldBe(2u);
        BitConverter.ToUInt32(glb, 8).ShouldBe((uint)glb.Length);
        (await anonymous.GetStringAsync(PathOf(model, "objUrl"))).ShouldContain("\nv ");
        (await anonymous.GetStringAsync(PathOf(model, "plyUrl"))).ShouldStartWith("ply");
        (await anonymous.GetStringAsync(PathOf(model, "mtlUrl"))).ShouldContain("newmtl");
        var job = await (await client.GetAsync($"/api/jobs/{jobId}")).ReadJsonAsync(HttpStatusCode.OK);
        job.GetProperty("chatId").GetGuid().ShouldBe(id);
        job.GetProperty("status").GetString().ShouldBe("completed");
    }

    [Fact]
    public async Task PostMessage_WithATooShortPrompt_OrAnotherRole_Returns400AsAJsonError_AndStoresNothing()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = await CreateChatAsync(client, "Nothing yet");

        await (await client.PostAsJsonAsync($"/legacy/api/chats/{id}/messages", new { role = "user", content = "ok" }))
            .ShouldBeLegacyErrorAsync(HttpStatusCode.BadRequest, "Prompt must be 3 to 1000 characters.", "prompt");
        await (await client.PostAsJsonAsync($"/legacy/api/chats/{id}/messages", new { role = "assistant", content = "A boat" }))
            .ShouldBeLegacyErrorAsync(HttpStatusCode.BadRequest, "Only user messages can be posted; the assistant answers with the model.", "role");

        (await (await client.GetAsync($"/legacy/api/chats/{id}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("messages").GetArrayLength().ShouldBe(0);
        (await (await client.GetAsync("/api/jobs")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task AnotherUsersChat_Returns404OnEveryCall()
    {
        var owner = await factory.CreateUserAsync();
        var id = await CreateChatAsync(factory.CreateClient(owner.AccessToken), "Mine");
        var other = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);

        await (await other.GetAsync($"/legacy/api/chats/{id}")).ShouldBeLegacyErrorAsync(HttpStatusCode.NotFound, "Chat not found");
        await (await other.PatchAsJsonAsync($"/legacy/api/chats/{id}", new { isPinned = true })).ShouldBeLegacyErrorAsync(HttpStatusCode.NotFound, "Chat not found");
        await (await other.PatchAsJsonAsync($"/legacy/api/chats/{id}", new { title = "Yours" })).ShouldBeLegacyErrorAsync(HttpStatusCode.NotFound, "Chat not found");
        await (await other.PostAsJsonAsync($"/legacy/api/chats/{id}/messages", new { role = "user", content = "A boat" })).ShouldBeLegacyErrorAsync(HttpStatusCode.NotFound, "Chat not found");
        await (await other.DeleteAsync($"/legacy/api/chats/{id}")).ShouldBeLegacyErrorAsync(HttpStatusCode.NotFound, "Chat not found");
        (await (await other.GetAsync("/legacy/api/chats")).ReadJsonAsync(HttpStatusCode.OK)).GetArrayLength().ShouldBe(0);

        var chat = await (await factory.CreateClient(owner.AccessToken).GetAsync($"/legacy/api/chats/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        chat.GetProperty("title").GetString().ShouldBe("Mine");
        chat.GetProperty("isPinned").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Preflight_FromTheWebAppsOrigin_AllowsItsMethodsAndHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/legacy/api/chats/00000000-0000-0000-0000-000000000001");
        request.Headers.Add("Origin", "http://localhost:3000");
        request.Headers.Add("Access-Control-Request-Method", "PATCH");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        var response = await factory.CreateClient().SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe("http://localhost:3000");
        response.Headers.GetValues("Access-Control-Allow-Methods").Single().ShouldBe("PATCH");
        response.Headers.GetValues("Access-Control-Allow-Headers").Single().ShouldBe("authorization,content-type");
    }

    [Fact]
    public async Task Chats_WithoutAToken_Return401AsAJsonError()
    {
        await (await factory.CreateClient().GetAsync("/legacy/api/chats")).ShouldBeLegacyErrorAsync(HttpStatusCode.Unauthorized, "Authentication required");
    }

    internal static async Task<Guid> CreateChatAsync(HttpClient client, string title) =>
        (await (await client.PostAsJsonAsync("/legacy/api/chats", new { title })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    /// <summary>Polls the chat as the web app does until its last message is the assistant's.</summary>
    internal static async Task<JsonElement> WaitForAssistantAsync(HttpClient client, Guid chatId)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var chat = await (await client.GetAsync($"/legacy/api/chats/{chatId}", patience.Token)).ReadJsonAsync(HttpStatusCode.OK);
            var messages = chat.GetProperty("messages");
            if (messages.GetArrayLength() > 0 && messages[messages.GetArrayLength() - 1].GetProperty("role").GetString() == "assistant")
            {
                return chat;
            }

            await Task.Delay(50, patience.Token);
        }
    }

    internal static string PathOf(JsonElement model, string url) => new Uri(model.GetProperty(url).GetString()!).PathAndQuery;
}

/// <summary>Generations that do not end with a model still end with an answer in the chat.</summary>
public sealed class LegacyChatOutcomeTests
{
    [Fact]
    public async Task PostMessage_WhenTheModelServerRefuses_EndsWithAnAssistantTextMessageSayingWhy()
    {
        await using var modelServer = await RejectingModelServer.StartAsync();
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?>
        {
            ["ModelServer:Url"] = modelServer.Url,
            ["ModelServer:Protocol"] = "shap-e",
        });
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = await LegacyChatsTests.CreateChatAsync(client, "A sword...");

        (await client.PostAsJsonAsync($"/legacy/api/chats/{id}/messages", new { role = "user", content = "A sword" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var chat = await LegacyChatsTests.WaitForAssistantAsync(client, id);

        var answer = chat.GetProperty("messages")[1];
        answer.PropertyNames().ShouldBe(["content", "id", "role", "timestamp", "type"]);
        answer.GetProperty("type").GetString().ShouldBe("text");
        var content = answer.GetProperty("content").GetString()!;
        content.ShouldStartWith("The model could not be generated: ");
        content.ShouldContain(RejectingModelServer.Error);
        modelServer.Requests.ShouldBe(1);
        var jobs = await (await client.GetAsync("/api/jobs")).ReadJsonAsync(HttpStatusCode.OK);
        jobs.GetProperty("items")[0].GetProperty("status").GetString().ShouldBe("failed");
    }

    [Fact]
    public async Task PostMessage_ThenCancelingTheJob_EndsWithAnAssistantTextMessage()
    {
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = await LegacyChatsTests.CreateChatAsync(client, "A lamp...");
        var started = await (await client.PostAsJsonAsync($"/legacy/api/chats/{id}/messages", new { role = "user", content = "A lamp" })).ReadJsonAsync(HttpStatusCode.Created);

        (await client.PostAsync($"/api/jobs/{started.GetProperty("jobId").GetGuid()}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var chat = await (await client.GetAsync($"/legacy/api/chats/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        chat.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString(), m.GetProperty("type").GetString()))
            .ShouldBe([("user", "A lamp", "text"), ("assistant", "The generation was canceled.", "text")]);
    }

    [Fact]
    public async Task AnOldChat_OpenedDaysLater_HasModelLinksSignedWhenRead()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var factory = CleanBackendFactory.WithClock(clock);
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = await LegacyChatsTests.CreateChatAsync(client, "Uploaded model");
        var asset = await (await client.PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Glb(), "boat.glb"))).ReadJsonAsync(HttpStatusCode.Created);
        var assetId = asset.GetProperty("id").GetGuid();
        (await client.PostAsJsonAsync("/api/messages", new { chatId = id, content = "Here is my boat", attachments = new[] { new { type = "model", assetId } } }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var firstLink = PathOfModel(await (await client.GetAsync($"/legacy/api/chats/{id}")).ReadJsonAsync(HttpStatusCode.OK));

        clock.Advance(TimeSpan.FromDays(10));
        var chat = await (await factory.CreateClient(user.AccessToken).GetAsync($"/legacy/api/chats/{id}")).ReadJsonAsync(HttpStatusCode.OK);

        var message = chat.GetProperty("messages")[0];
        message.GetProperty("type").GetString().ShouldBe("3d-model");
        var model = message.GetProperty("modelData");
        model.GetProperty("modelId").GetGuid().ShouldBe(assetId);
        model.GetProperty("objUrl").ValueKind.ShouldBe(JsonValueKind.Null);
        model.GetProperty("plyUrl").ValueKind.ShouldBe(JsonValueKind.Null);
        model.GetProperty("mtlUrl").ValueKind.ShouldBe(JsonValueKind.Null);
        var anonymous = factory.CreateClient();
        await (await anonymous.GetAsync(firstLink)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "This link has expired");
        (await anonymous.GetByteArrayAsync(PathOfModel(chat))).ShouldBe(SampleFiles.Glb());
    }

    private static string PathOfModel(JsonElement chat) => LegacyChatsTests.PathOf(chat.GetProperty("messages")[0].GetProperty("modelData"), "glbUrl");
}
