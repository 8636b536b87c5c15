using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.Persistence;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.WebApi.FunctionalTests.Chats;

[Collection(SharedServiceCollection.Name)]
public sealed class ChatsTests(CleanBackendFactory factory)
{
    [Fact]
    public async Task Create_Returns201WithTheChatAndItsLocation()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);

        var response = await client.PostAsJsonAsync("/api/chats", new { title = "  Castle ideas " });

        var chat = await response.ReadJsonAsync(HttpStatusCode.Created);
        chat.PropertyNames().ShouldBe(["createdAt", "id", "lastMessageAt", "messageCount", "title", "updatedAt"]);
        chat.GetProperty("title").GetString().ShouldBe("Castle ideas");
        chat.GetProperty("messageCount").GetInt32().ShouldBe(0);
        chat.GetProperty("lastMessageAt").ValueKind.ShouldBe(JsonValueKind.Null);
        chat.GetProperty("createdAt").GetString()!.ShouldEndWith("Z");
        chat.GetProperty("updatedAt").GetString().ShouldBe(chat.GetProperty("createdAt").GetString());
        var id = chat.GetProperty("id").GetGuid();
        response.Headers.Location!.AbsolutePath.ShouldBe($"/api/chats/{id}");
    }

    [Fact]
    public async Task Create_WithoutTitle_UsesTheDefaultTitle()
    {
        var user = await factory.CreateUserAsync();

        var chat = await (await factory.CreateClient(user.AccessToken).PostAsJsonAsync("/api/chats", new { })).ReadJsonAsync(HttpStatusCode.Created);

        chat.GetProperty("title").GetString().ShouldBe("New chat");
    }

    [Fact]
    public async Task Create_WithTooLongTitle_Returns400WithTheField()
    {
        var user = await factory.CreateUserAsync();

        var response = await factory.CreateClient(user.AccessToken).PostAsJsonAsync("/api/chats", new { title = new string('x', 201) });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The length of 'Title' must be 200 characters or fewer. You entered 201 characters.");
        problem.GetProperty("errors").PropertyNames().ShouldBe(["title"]);
    }

    [Fact]
    public async Task Get_ReturnsTheSameChatAsCreated()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var created = await (await client.PostAsJsonAsync("/api/chats", new { title = "Boats" })).ReadJsonAsync(HttpStatusCode.Created);

        var fetched = await (await client.GetAsync($"/api/chats/{created.GetProperty("id").GetGuid()}")).ReadJsonAsync(HttpStatusCode.OK);

        fetched.GetRawText().ShouldBe(created.GetRawText());
    }

    [Fact]
    public async Task List_PagesNewestFirstAndFiltersByTitle()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        foreach (var title in new[] { "Red castle", "Blue boat", "Green CASTLE" })
        {
            (await client.PostAsJsonAsync("/api/chats", new { title })).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var page = await (await client.GetAsync("/api/chats?page=1&limit=2")).ReadJsonAsync(HttpStatusCode.OK);
        page.PropertyNames().ShouldBe(["items", "limit", "page", "total", "totalPages"]);
        page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("title").GetString()).ShouldBe(["Green CASTLE", "Blue boat"]);
        page.GetProperty("page").GetInt32().ShouldBe(1);
        page.GetProperty("limit").GetInt32().ShouldBe(2);
        page.GetProperty("total").GetInt32().ShouldBe(3);
        page.GetProperty("totalPages").GetInt32().ShouldBe(2);

        var search = await (await client.GetAsync("/api/chats?search=castle")).ReadJsonAsync(HttpStatusCode.OK);
        search.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("title").GetString()).ShouldBe(["Green CASTLE", "Red castle"]);
        search.GetProperty("total").GetInt32().ShouldBe(2);
        search.GetProperty("limit").GetInt32().ShouldBe(20);
    }

    [Fact]
    public async Task Rename_ChangesTheTitleAndUpdatedAt()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var created = await (await client.PostAsJsonAsync("/api/chats", new { title = "Old" })).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();

        var renamed = await (await client.PatchAsJsonAsync($"/api/chats/{id}", new { title = "New" })).ReadJsonAsync(HttpStatusCode.OK);

        renamed.GetProperty("id").GetGuid().ShouldBe(id);
        renamed.GetProperty("title").GetString().ShouldBe("New");
        renamed.GetProperty("updatedAt").GetDateTime().ShouldBeGreaterThanOrEqualTo(created.GetProperty("updatedAt").GetDateTime());
        renamed.GetProperty("createdAt").GetString().ShouldBe(created.GetProperty("createdAt").GetString());
    }

    [Fact]
    public async Task Rename_WithEmptyTitle_Returns400()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = (await (await client.PostAsJsonAsync("/api/chats", new { title = "Old" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var response = await client.PatchAsJsonAsync($"/api/chats/{id}", new { title = "" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "'Title' must not be empty.");
        problem.GetProperty("errors").GetProperty("title").Strings().ShouldBe(["'Title' must not be empty."]);
    }

    [Fact]
    public async Task Delete_Returns204AndTheChatIsGone()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var id = (await (await client.PostAsJsonAsync("/api/chats", new { title = "Temporary" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var deleted = await client.DeleteAsync($"/api/chats/{id}");

        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await client.GetAsync($"/api/chats/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Chat not found");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task AnotherUsersChat_Returns404(string method)
    {
        var owner = await factory.CreateUserAsync();
        var stranger = await factory.CreateUserAsync();
        var id = (await (await factory.CreateClient(owner.AccessToken).PostAsJsonAsync("/api/chats", new { title = "Private" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/chats/{id}")
        {
            Content = method == "PATCH" ? JsonContent.Create(new { title = "Mine now" }) : null,
        };
        var response = await factory.CreateClient(stranger.AccessToken).SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Chat not found");
        var stillThere = await (await factory.CreateClient(owner.AccessToken).GetAsync($"/api/chats/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        stillThere.GetProperty("title").GetString().ShouldBe("Private");
    }

    [Fact]
    public async Task List_ShowsOnlyTheCallersChats()
    {
        var owner = await factory.CreateUserAsync();
        var stranger = await factory.CreateUserAsync();
        (await factory.CreateClient(owner.AccessToken).PostAsJsonAsync("/api/chats", new { title = "Private" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var page = await (await factory.CreateClient(stranger.AccessToken).GetAsync("/api/chats")).ReadJsonAsync(HttpStatusCode.OK);

        page.GetProperty("items").GetArrayLength().ShouldBe(0);
        page.GetProperty("total").GetInt32().ShouldBe(0);
        page.GetProperty("totalPages").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Delete_AChatWithJobs_KeepsTheJobsWithoutTheirChat()
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var chatId = (await (await client.PostAsJsonAsync("/api/chats", new { title = "With a job" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Guid jobId;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            var job = new GenerationJob(user.Id, "a lamp", null, null, 1, GenerationQuality.Standard, chatId, DateTime.UtcNow);
            db.GenerationJobs.Add(job);
            await db.SaveChangesAsync();
            jobId = job.Id;
        }

        (await client.DeleteAsync($"/api/chats/{chatId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using (var scope = factory.Services.CreateScope())
        {
            var job = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().GenerationJobs.SingleAsync(j => j.Id == jobId);
            job.ChatId.ShouldBeNull();
            job.Prompt.ShouldBe("a lamp");
        }
    }
}
