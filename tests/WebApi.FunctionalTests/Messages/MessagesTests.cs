using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Messages;

[Collection(SharedServiceCollection.Name)]
public sealed class MessagesTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task Post_AddsTheMessageWithSignedAttachmentUrls_AndUpdatesTheChat()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var chatId = await NewChatAsync(client);
        var asset = await (await client.PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Glb(), "chair.glb"))).ReadJsonAsync(HttpStatusCode.Created);
        var assetId = asset.GetProperty("id").GetGuid();

        var response = await client.PostAsJsonAsync("/api/messages", new { chatId, content = "Make it taller", attachments = new[] { new { type = "model", assetId } } });

        var message = await response.ReadJsonAsync(HttpStatusCode.Created);
        message.PropertyNames().ShouldBe(["attachments", "chatId", "content", "createdAt", "id", "role"]);
        message.GetProperty("chatId").GetGuid().ShouldBe(chatId);
        message.GetProperty("role").GetString().ShouldBe("user");
        message.GetProperty("content").GetString().ShouldBe("Make it taller");
        var attachment = message.GetProperty("attachments").EnumerateArray().Single();
        attachment.PropertyNames().ShouldBe(["assetId", "type", "url"]);
        attachment.GetProperty("type").GetString().ShouldBe("model");
        attachment.GetProperty("assetId").GetGuid().ShouldBe(assetId);
        attachment.GetProperty("url").GetString()!.ShouldStartWith("http://localhost:8081/assets/");
        var chat = await (await client.GetAsync($"/api/chats/{chatId}")).ReadJsonAsync(HttpStatusCode.OK);
        chat.GetProperty("messageCount").GetInt32().ShouldBe(1);
        chat.GetProperty("lastMessageAt").GetString().ShouldBe(message.GetProperty("createdAt").GetString());
    }

    [Fact]
    public async Task List_PagesOldestFirst()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var chatId = await NewChatAsync(client);
        foreach (var content in new[] { "one", "two", "three" })
        {
            (await client.PostAsJsonAsync("/api/messages", new { chatId, content })).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var first = await (await client.GetAsync($"/api/messages?chatId={chatId}&limit=2")).ReadJsonAsync(HttpStatusCode.OK);
        var second = await (await client.GetAsync($"/api/messages?chatId={chatId}&limit=2&page=2")).ReadJsonAsync(HttpStatusCode.OK);

        first.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("content").GetString()).ShouldBe(["one", "two"]);
        second.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("content").GetString()).ShouldBe(["three"]);
        first.GetProperty("total").GetInt32().ShouldBe(3);
        first.GetProperty("totalPages").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task List_WithoutAChatId_Returns400()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).GetAsync("/api/messages");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "chatId is required.");
    }

    [Fact]
    public async Task Post_AttachingSomeoneElsesAsset_Returns404AndPostsNothing()
    {
        var owner = await factory.CreateUserAsync();
        var author = await factory.CreateUserAsync();
        var asset = await (await factory.CreateClient(owner.AccessToken).PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Png(), "a.png"))).ReadJsonAsync(HttpStatusCode.Created);
        var client = factory.CreateClient(author.AccessToken);
        var chatId = await NewChatAsync(client);

        var response = await client.PostAsJsonAsync("/api/messages", new { chatId, content = "mine?", attachments = new[] { new { type = "image", assetId = asset.GetProperty("id").GetGuid() } } });

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Asset not found");
        (await (await client.GetAsync($"/api/chats/{chatId}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("messageCount").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Post_AttachingAnImageAsAModel_Returns400()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var assetId = (await (await client.PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Png(), "a.png"))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var chatId = await NewChatAsync(client);

        var response = await client.PostAsJsonAsync("/api/messages", new { chatId, content = "hm", attachments = new[] { new { type = "model", assetId } } });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, $"Asset {assetId} is a image, not a model.");
    }

    [Theory]
    [InlineData("", "'Content' must not be empty.")]
    [InlineData(null, "'Content' must not be empty.")]
    public async Task Post_WithoutContent_Returns400(string? content, string error)
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var chatId = await NewChatAsync(client);

        var response = await client.PostAsJsonAsync("/api/messages", new { chatId, content });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, error);
        problem.GetProperty("errors").PropertyNames().ShouldBe(["content"]);
    }

    [Fact]
    public async Task Post_WithAnUnknownAttachmentType_Returns400()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var chatId = await NewChatAsync(client);

        var response = await client.PostAsJsonAsync("/api/messages", new { chatId, content = "x", attachments = new[] { new { type = "video", assetId = Guid.CreateVersion7() } } });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The request body is not valid JSON for this operation.");
    }

    private static async Task<Guid> NewChatAsync(HttpClient client) =>
        (await (await client.PostAsJsonAsync("/api/chats", new { title = "Chat" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
}
