using System.Net;
using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Jobs;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Lists;

/// <summary>
/// The chat and job lists page the same way on each database, whether a page is read by the compiled query (no
/// filter) or by an ordinary one (a filter), and past the last page.
/// </summary>
public sealed class ListPagingTests(ServicesPerDatabase services) : IClassFixture<ServicesPerDatabase>
{
    private static readonly DateTime Start = new(2026, 5, 1, 9, 0, 0, DateTimeKind.Utc);

    public static TheoryData<string> Providers => ServicesPerDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Chats_PageNewestFirst_FilteredOrNot_AndPastTheEnd(string provider)
    {
        var factory = services[provider];
        var user = await factory.CreateUserAsync();
        await factory.SeedAsync(db =>
        {
            foreach (var (title, hour) in new[] { ("Castle one", 1), ("Boat", 2), ("Castle two", 3), ("Tree", 4), ("Castle three", 5) })
            {
                db.Chats.Add(new Chat(user.Id, title, Start.AddHours(hour)));
            }
        });
        var client = factory.CreateClient(user.AccessToken);

        (await PageAsync(client, "/api/chats?page=1&limit=2")).ShouldBe(("Castle three | Tree", 1, 2, 5, 3));
        (await PageAsync(client, "/api/chats?page=3&limit=2")).ShouldBe(("Castle one", 3, 2, 5, 3));
        (await PageAsync(client, "/api/chats?page=4&limit=2")).ShouldBe(("", 4, 2, 5, 3));
        (await PageAsync(client, "/api/chats?page=2&limit=2&search=castle")).ShouldBe(("Castle one", 2, 2, 3, 2));
        (await PageAsync(client, "/api/chats?page=3&limit=2&search=castle")).ShouldBe(("", 3, 2, 3, 2));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Jobs_PageNewestFirst_FilteredOrNot_AndPastTheEnd(string provider)
    {
        var factory = services[provider];
        var user = await factory.CreateUserAsync();
        var chat = new Chat(user.Id, "Props", Start);
        await factory.SeedAsync(db =>
        {
            db.Chats.Add(chat);
            foreach (var (prompt, hour, inChat) in new[] { ("a cube", 1, true), ("a cone", 2, false), ("a torus", 3, true), ("a boat", 4, false) })
            {
                db.GenerationJobs.Add(DatabaseSeed.FinishedJob(user.Id, prompt, Start.AddHours(hour), JobStatus.Completed, 2000, inChat ? chat.Id : null));
            }
        });
        var client = factory.CreateClient(user.AccessToken);

        (await PageAsync(client, "/api/jobs?page=1&limit=3", "prompt")).ShouldBe(("a boat | a torus | a cone", 1, 3, 4, 2));
        (await PageAsync(client, "/api/jobs?page=2&limit=3", "prompt")).ShouldBe(("a cube", 2, 3, 4, 2));
        (await PageAsync(client, "/api/jobs?page=3&limit=3", "prompt")).ShouldBe(("", 3, 3, 4, 2));
        (await PageAsync(client, $"/api/jobs?chatId={chat.Id}", "prompt")).ShouldBe(("a torus | a cube", 1, 20, 2, 1));
        (await PageAsync(client, "/api/jobs?status=completed&page=2&limit=1", "prompt")).ShouldBe(("a torus", 2, 1, 4, 4));
        (await PageAsync(client, "/api/jobs?status=queued", "prompt")).ShouldBe(("", 1, 20, 0, 0));
    }

    private static async Task<(string Items, int Page, int Limit, int Total, int TotalPages)> PageAsync(HttpClient client, string path, string field = "title")
    {
        var page = await (await client.GetAsync(path)).ReadJsonAsync(HttpStatusCode.OK);
        return (
            string.Join(" | ", page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty(field).GetString())),
            page.GetProperty("page").GetInt32(),
            page.GetProperty("limit").GetInt32(),
            page.GetProperty("total").GetInt32(),
            page.GetProperty("totalPages").GetInt32());
    }
}
