using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Usage;

/// <summary>The per-user limits of the plan on every database: 3 generations an hour, 5 creations a quarter hour, 2 active jobs.</summary>
public sealed partial class UsageLimitsTests(LimitServices services) : IClassFixture<LimitServices>
{
    public static TheoryData<string> Providers => ServicesPerDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Generations_BeyondThePlansLimit_Return429_WithRetryAfter_AndRateLimitFields(string provider)
    {
        await LimitWindows.AwayFromTheirEndsAsync();
        var factory = services[provider];
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(i % 2 == 0
                ? await client.CreateJobAsync($"A glass vase number {i}")
                : await client.PostAsJsonAsync("/api/generate", new { prompt = $"A glass vase number {i}" }));
            if (i < 3)
            {
                await client.WaitForJobAsync(await answers[i].CreatedJobIdAsync());
            }
        }

        answers.Select(a => a.StatusCode).ShouldBe([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests]);
        foreach (var answer in answers)
        {
            Header(answer, "RateLimit-Policy").ShouldBe("\"generation\";q=3;w=3600, \"creation\";q=5;w=900");
        }

        answers.Select(a => Remaining(Header(a, "RateLimit"))).ShouldBe(["generation=2,creation=4", "generation=1,creation=3", "generation=0,creation=2", "generation=0,creation=2"]);
        var refused = answers[3];
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, null);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        retryAfter.ShouldBeInRange(1, 3600);
        problem.GetProperty("detail").GetString().ShouldBe($"Your plan allows 3 generations per hour; try again in {retryAfter} seconds.");
        ResetSeconds(Header(refused, "RateLimit"), "generation").ShouldBe(retryAfter);
        (await (await client.GetAsync("/api/jobs")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBe(3);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Creations_OfChatsMessagesUploadsAndJobs_ShareOneLimit(string provider)
    {
        await LimitWindows.AwayFromTheirEndsAsync();
        var factory = services[provider];
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);

        var chat = (await (await client.PostAsJsonAsync("/api/chats", new { title = "One" })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await client.PostAsJsonAsync("/api/chats", new { title = "Two" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var message = await client.PostAsJsonAsync("/api/messages", new { chatId = chat, content = "A note" });
        var generated = await client.PostAsJsonAsync("/api/generate", new { prompt = "A bronze bell in a tower", chatId = chat });
        await client.WaitForJobAsync(await generated.CreatedJobIdAsync());
        var fifth = await client.PostAsJsonAsync("/api/chats", new { title = "Five" });
        var sixthChat = await client.PostAsJsonAsync("/api/chats", new { title = "Six" });
        var sixthMessage = await client.PostAsJsonAsync("/api/messages", new { chatId = chat, content = "Another note" });
        var sixthJob = await client.CreateJobAsync("A copper kettle on a stove");
        using var upload = new MultipartFormDataContent { { new ByteArrayContent(SampleFiles.Png()), "file", "image.png" } };
        var sixthUpload = await client.PostAsync("/api/assets", upload);

        (message.StatusCode, fifth.StatusCode).ShouldBe((HttpStatusCode.Created, HttpStatusCode.Created));
        Remaining(Header(generated, "RateLimit")).ShouldBe("generation=2,creation=1");
        Remaining(Header(fifth, "RateLimit")).ShouldBe("creation=0");
        Header(fifth, "RateLimit-Policy").ShouldBe("\"creation\";q=5;w=900");
        foreach (var refused in new[] { sixthChat, sixthMessage, sixthJob, sixthUpload })
        {
            (await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, null)).GetProperty("detail").GetString()
                .ShouldStartWith("Your plan allows 5 creations (chats, messages, uploads and jobs) per 15 minutes; try again in ");
            refused.Headers.RetryAfter.ShouldNotBeNull();
        }

        var chats = await (await client.GetAsync("/api/chats")).ReadJsonAsync(HttpStatusCode.OK);
        chats.GetProperty("total").GetInt32().ShouldBe(3);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ActiveJobs_BeyondThePlansCap_Return429_UntilOneEnds(string provider)
    {
        await LimitWindows.AwayFromTheirEndsAsync();
        var factory = services[provider];
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);
        var first = await (await client.CreateJobAsync("hold: a clock tower at noon")).CreatedJobIdAsync();
        var second = await (await client.CreateJobAsync("hold: a clock tower at night")).CreatedJobIdAsync();

        var refused = await client.CreateJobAsync("A third clock tower");
        var usage = await (await client.GetAsync("/api/usage")).ReadJsonAsync(HttpStatusCode.OK);
        (await client.PostAsync($"/api/jobs/{first}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var accepted = await client.CreateJobAsync("A third clock tower");
        (await client.PostAsync($"/api/jobs/{second}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, null)).GetProperty("detail").GetString()
            .ShouldBe("You have 2 queued or running jobs, the most your plan allows; wait for one to finish or cancel one.");
        refused.Headers.GetValues("Retry-After").Single().ShouldBe("30");
        Remaining(Header(refused, "RateLimit")).ShouldBe("generation=1,creation=3");
        (usage.GetProperty("activeJobs").GetInt32(), usage.GetProperty("maxActiveJobs").GetInt32()).ShouldBe((2, 2));
        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Usage_ShowsEachLimit_WithWhatRemains_AndWhenItResets(string provider)
    {
        await LimitWindows.AwayFromTheirEndsAsync();
        var factory = services[provider];
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);
        await client.WaitForJobAsync(await (await client.CreateJobAsync("A stone bridge over a river")).CreatedJobIdAsync());

        var usage = await (await client.GetAsync("/api/usage")).ReadJsonAsync(HttpStatusCode.OK);
        var badRequest = await client.PostAsJsonAsync("/api/generate", new { prompt = "A bridge", chatId = Guid.CreateVersion7() });

        var now = DateTime.UtcNow;
        var limits = usage.GetProperty("limits").EnumerateArray().ToList();
        limits.Select(l => (l.GetProperty("name").GetString(), l.GetProperty("limit").GetInt32(), l.GetProperty("remaining").GetInt32(), l.GetProperty("windowSeconds").GetInt32()))
            .ShouldBe([("generation", 3, 2, 3600), ("creation", 5, 4, 900)]);
        limits[0].PropertyNames().ShouldBe(["limit", "name", "remaining", "resetsAt", "windowSeconds"]);
        var hourEnd = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(1);
        limits[0].GetProperty("resetsAt").GetDateTime().ShouldBe(hourEnd);
        limits[1].GetProperty("resetsAt").GetDateTime().Minute.ShouldBeOneOf(0, 15, 30, 45);
        // A request that creates nothing uses no permit, and still says what is left.
        await badRequest.ShouldBeProblemAsync(HttpStatusCode.NotFound, "Chat not found");
        Remaining(Header(badRequest, "RateLimit")).ShouldBe("generation=2,creation=4");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task RateLimitFields_AreExposedToTheWebApp(string provider)
    {
        await LimitWindows.AwayFromTheirEndsAsync();
        var factory = services[provider];
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chats") { Content = JsonContent.Create(new { title = "CORS" }) };
        request.Headers.Add("Origin", "http://localhost:3000");

        var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        Header(response, "Access-Control-Expose-Headers").Split(',', StringSplitOptions.TrimEntries).ShouldContain("RateLimit");
        Header(response, "Access-Control-Expose-Headers").Split(',', StringSplitOptions.TrimEntries).ShouldContain("RateLimit-Policy");
    }

    private static string Header(HttpResponseMessage response, string name) => string.Join(", ", response.Headers.GetValues(name));

    /// <summary>The <c>r</c> of each policy of a RateLimit field, as <c>name=r,...</c>.</summary>
    private static string Remaining(string field) =>
        string.Join(",", PolicyPattern().Matches(field).Select(m => $"{m.Groups["name"].Value}={m.Groups["r"].Value}"));

    private static int ResetSeconds(string field, string policy) =>
        int.Parse(PolicyPattern().Matches(field).Single(m => m.Groups["name"].Value == policy).Groups["t"].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("\"(?<name>[a-z-]+)\";r=(?<r>\\d+);t=(?<t>\\d+)")]
    private static partial Regex PolicyPattern();
}
