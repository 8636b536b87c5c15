using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Security;

/// <summary>For every route that takes an id, another user's resource is "not found": read, update and delete alike.</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class OwnershipTests(CleanBackendFactory factory)
{
    public static TheoryData<string, string, string> Routes => new()
    {
        { "GET", "/api/chats/{chat}", "Chat not found" },
        { "PATCH", "/api/chats/{chat}", "Chat not found" },
        { "DELETE", "/api/chats/{chat}", "Chat not found" },
        { "GET", "/api/messages?chatId={chat}", "Chat not found" },
        { "POST", "/api/messages", "Chat not found" },
        { "GET", "/api/assets/{asset}", "Asset not found" },
        { "GET", "/api/assets/{asset}/download", "Asset not found" },
        { "DELETE", "/api/assets/{asset}", "Asset not found" },
        { "GET", "/api/users/{user}", "User not found" },
        { "PATCH", "/api/users/{user}", "User not found" },
        { "DELETE", "/api/auth/sessions/{session}", "Session not found" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task AnotherUsersResource_Returns404AndStaysUntouched(string method, string route, string error)
    {
        var owner = await factory.CreateUserAsync();
        var stranger = await factory.CreateUserAsync();
        var ownerClient = factory.CreateClient(owner.AccessToken);
        var chat = (await (await ownerClient.PostAsJsonAsync("/api/chats", new { title = "Private" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var asset = (await (await ownerClient.PostAsync("/api/assets", SampleFiles.Form(SampleFiles.Png(), "a.png"))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var session = (await (await ownerClient.GetAsync("/api/auth/sessions")).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray().Single().GetProperty("id").GetGuid();
        var path = route.Replace("{chat}", chat.ToString(), StringComparison.Ordinal)
            .Replace("{asset}", asset.ToString(), StringComparison.Ordinal)
            .Replace("{user}", owner.Id.ToString(), StringComparison.Ordinal)
            .Replace("{session}", session.ToString(), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method switch
            {
                "PATCH" => JsonContent.Create(new { title = "Mine now", name = "Mine now" }),
                "POST" => JsonContent.Create(new { chatId = chat, content = "hello" }),
                _ => null,
            },
        };

        var response = await factory.CreateClient(stranger.AccessToken).SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, error);
        (await (await ownerClient.GetAsync($"/api/chats/{chat}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("title").GetString().ShouldBe("Private");
        (await (await ownerClient.GetAsync($"/api/chats/{chat}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("messageCount").GetInt32().ShouldBe(0);
        (await ownerClient.GetAsync($"/api/assets/{asset}/download")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await ownerClient.GetAsync("/api/users/me")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("name").GetString().ShouldBe("Test User");
        (await ownerClient.GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
