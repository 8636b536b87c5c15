using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Usage;

/// <summary>Credits on every database: the monthly grant, reservations settled by the job's end, 402, admin grants and revokes.</summary>
public sealed class CreditsTests(CreditServices services) : IClassFixture<CreditServices>
{
    public static TheoryData<string> Providers => ServicesPerDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Usage_OfANewUser_GrantsTheMonthOnce(string provider)
    {
        var factory = services[provider];
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);

        var first = await (await client.GetAsync("/api/usage")).ReadJsonAsync(HttpStatusCode.OK);
        var second = await (await client.GetAsync("/api/usage")).ReadJsonAsync(HttpStatusCode.OK);
        var history = await (await client.GetAsync("/api/usage/history")).ReadJsonAsync(HttpStatusCode.OK);

        var now = DateTime.UtcNow;
        var start = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        second.GetRawText().ShouldBe(first.GetRawText());
        first.PropertyNames().ShouldBe(["activeJobs", "balance", "limits", "maxActiveJobs", "period", "plan", "reserved", "spentThisPeriod"]);
        (first.GetProperty("balance").GetInt32(), first.GetProperty("reserved").GetInt32(), first.GetProperty("spentThisPeriod").GetInt32(), first.GetProperty("activeJobs").GetInt32())
            .ShouldBe((10, 0, 0, 0));
        first.GetProperty("limits").GetArrayLength().ShouldBe(0);
        first.GetProperty("maxActiveJobs").ValueKind.ShouldBe(JsonValueKind.Null);
        (first.GetProperty("period").GetProperty("start").GetDateTime(), first.GetProperty("period").GetProperty("end").GetDateTime()).ShouldBe((start, start.AddMonths(1)));
        first.GetProperty("plan").GetRawText().ShouldBe("""{"name":"user","monthlyGrant":10,"maxActiveJobs":3,"generationsPerHour":10,"createsPer15Minutes":30}""");
        (history.GetProperty("total").GetInt32(), history.GetProperty("page").GetInt32(), history.GetProperty("totalPages").GetInt32()).ShouldBe((1, 1, 1));
        var grant = history.GetProperty("items")[0];
        grant.PropertyNames().ShouldBe(["actorId", "amount", "createdAt", "id", "jobId", "kind", "reason", "sequence"]);
        (grant.GetProperty("sequence").ValueKind, grant.GetProperty("kind").GetString(), grant.GetProperty("amount").GetInt32()).ShouldBe((JsonValueKind.Null, "grant", 10));
        grant.GetProperty("reason").GetString().ShouldBe($"Monthly grant of the user plan for {now.ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}");
        (grant.GetProperty("jobId").ValueKind, grant.GetProperty("actorId").ValueKind).ShouldBe((JsonValueKind.Null, JsonValueKind.Null));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CompletedJobs_ReserveTheirCostOnCreate_AndSpendItOnCompletion(string provider)
    {
        var factory = services[provider];
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);

        var standard = await (await client.CreateJobAsync("A red brick house with a chimney")).CreatedJobIdAsync();
        var draft = await (await client.CreateJobAsync("A blue wooden boat on a calm sea", "draft", ["glb", "obj", "ply"])).CreatedJobIdAsync();
        await client.WaitForJobAsync(standard);
        await client.WaitForJobAsync(draft);

        var usage = await (await client.GetAsync("/api/usage")).ReadJsonAsync(HttpStatusCode.OK);
        var entries = await HistoryAsync(client);
        (usage.GetProperty("balance").GetInt32(), usage.GetProperty("reserved").GetInt32(), usage.GetProperty("spentThisPeriod").GetInt32(), usage.GetProperty("activeJobs").GetInt32())
            .ShouldBe((5, 0, 5, 0));
        entries.Where(e => e.Kind == "reserve").Select(e => (e.Sequence, e.JobId, e.Amount)).OrderBy(e => e.Sequence).ShouldBe([(1L, standard, 2), (2L, draft, 3)]);
        entries.Where(e => e.Kind == "spend").Select(e => (e.Sequence, e.JobId, e.Amount)).OrderBy(e => e.Amount).ShouldBe([((long?)null, standard, 2), (null, draft, 3)]);
        entries.Select(e => e.Kind).Order().ShouldBe(["grant", "reserve", "reserve", "spend", "spend"]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AnImageJob_CostsWhatATextJobOfTheSameQualityAndFormatsCosts_WithStlAsAnExtraFormat(string provider)
    {
        var factory = services[provider];
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);
        var image = await client.UploadAsync(TestImages.RedDisc());

        var fromImage = (await (await client.PostAsJsonAsync("/api/jobs", new { imageAssetIds = new[] { image }, formats = new[] { "glb", "stl" } })).ReadJsonAsync(HttpStatusCode.Accepted))
            .GetProperty("job").GetProperty("id").GetGuid();
        var fromText = await (await client.CreateJobAsync("A red brick house with a chimney", "standard", ["glb", "stl"])).CreatedJobIdAsync();
        await client.WaitForJobAsync(fromImage);
        await client.WaitForJobAsync(fromText);

        (await HistoryAsync(client)).Where(e => e.Kind == "reserve").Select(e => (e.JobId, e.Amount)).ShouldBe([(fromImage, 3), (fromText, 3)], ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task FailedJob_RefundsItsReservation(string provider)
    {
        var factory = services[provider];
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);

        var job = await (await client.CreateJobAsync("fail: a castle the server refuses")).CreatedJobIdAsync();
        (await client.WaitForJobAsync(job, "failed")).GetProperty("error").GetString().ShouldBe(ScriptedModelServer.Refusal);

        var usage = await (await client.GetAsync("/api/usage")).ReadJsonAsync(HttpStatusCode.OK);
        (usage.GetProperty("balance").GetInt32(), usage.GetProperty("reserved").GetInt32(), usage.GetProperty("spentThisPeriod").GetInt32()).ShouldBe((10, 0, 0));
        (await HistoryAsync(client)).Select(e => (e.Kind, e.Amount, e.Sequence, e.JobId))
            .ShouldBe([("refund", 2, null, job), ("reserve", 2, 1, job), ("grant", 10, (long?)null, (Guid?)null)], ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CanceledJob_HoldsItsReservationWhileActive_AndRefundsIt(string provider)
    {
        var factory = services[provider];
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);

        var job = await (await client.CreateJobAsync("hold: a lighthouse on a rocky shore")).CreatedJobIdAsync();
        var during = await (await client.GetAsync("/api/usage")).ReadJsonAsync(HttpStatusCode.OK);
        (await client.PostAsync($"/api/jobs/{job}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await (await client.GetAsync("/api/usage")).ReadJsonAsync(HttpStatusCode.OK);

        (during.GetProperty("balance").GetInt32(), during.GetProperty("reserved").GetInt32(), during.GetProperty("activeJobs").GetInt32()).ShouldBe((8, 2, 1));
        (after.GetProperty("balance").GetInt32(), after.GetProperty("reserved").GetInt32(), after.GetProperty("activeJobs").GetInt32()).ShouldBe((10, 0, 0));
        (await HistoryAsync(client)).Select(e => (e.Kind, e.Amount, e.JobId)).ShouldBe([("refund", 2, job), ("reserve", 2, job), ("grant", 10, (Guid?)null)], ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CreateJob_WithTooFewCredits_Returns402_AndCreatesNothing(string provider)
    {
        var factory = services[provider];
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);
        for (var i = 0; i < 3; i++)
        {
            await (await client.CreateJobAsync($"A small stone well number {i}", "draft", ["glb", "obj", "ply"])).CreatedJobIdAsync();
        }

        var refused = await client.CreateJobAsync("A fourth well that costs too much", "draft", ["glb", "obj"]);

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.PaymentRequired, null);
        (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString()).ShouldBe((
            "Payment Required",
            "This job costs 2 credits and 1 is available. Credits are granted on the 1st of each month (UTC); ask an administrator for more, or choose draft quality or fewer formats."));
        var jobs = await (await client.GetAsync("/api/jobs")).ReadJsonAsync(HttpStatusCode.OK);
        jobs.GetProperty("total").GetInt32().ShouldBe(3);
        (await HistoryAsync(client)).Count(e => e.Kind == "reserve").ShouldBe(3);
        (await (await client.GetAsync("/api/usage")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("balance").GetInt32().ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task RepeatedIdempotencyKey_ReservesOnce(string provider)
    {
        var factory = services[provider];
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);

        var first = await (await client.CreateJobAsync("A green teapot with a curved spout", idempotencyKey: "teapot-1")).CreatedJobIdAsync();
        var again = await (await client.CreateJobAsync("A green teapot with a curved spout", idempotencyKey: "teapot-1")).CreatedJobIdAsync();

        again.ShouldBe(first);
        (await HistoryAsync(client)).Where(e => e.Kind == "reserve").Select(e => e.JobId).ShouldBe([first]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task RateLimitsSwitchedOff_LiftTheLimits_ButNotTheCredits(string provider)
    {
        // The service runs with RateLimiting:Enabled=false: more jobs than 10 an hour and 3 at once, until credits run out.
        var factory = services[provider];
        var admin = factory.CreateClient((await factory.CreateUserAsync("user", "admin")).AccessToken);
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        (await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/credits", new { amount = 2, reason = "Load test" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 13; i++)
        {
            var response = await client.CreateJobAsync($"A paper lantern number {i}", "draft");
            answers.Add(response.StatusCode);
            response.Headers.Contains("RateLimit").ShouldBeFalse();
        }

        answers.ShouldBe([.. Enumerable.Repeat(HttpStatusCode.Accepted, 12), HttpStatusCode.PaymentRequired]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Admin_GrantsAndRevokesCredits_WithAReason_Audited(string provider)
    {
        var factory = services[provider];
        var adminUser = await factory.CreateUserAsync("user", "admin");
        var admin = factory.CreateClient(adminUser.AccessToken);
        var user = await factory.CreateUserAsync();

        var granted = await (await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/credits", new { amount = 25, reason = "Conference demo" })).ReadJsonAsync(HttpStatusCode.OK);
        var revoked = await (await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/credits", new { amount = -30, reason = "Demo over" })).ReadJsonAsync(HttpStatusCode.OK);
        var tooMuch = await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/credits", new { amount = -6, reason = "More than there is" });
        var usage = await (await admin.GetAsync($"/api/admin/users/{user.Id}/usage")).ReadJsonAsync(HttpStatusCode.OK);
        var history = await HistoryAsync(admin, $"/api/admin/users/{user.Id}/usage/history");
        var audit = await (await admin.GetAsync($"/api/admin/audit-logs?actorId={adminUser.Id}")).ReadJsonAsync(HttpStatusCode.OK);

        (granted.GetProperty("balance").GetInt32(), revoked.GetProperty("balance").GetInt32(), usage.GetProperty("balance").GetInt32()).ShouldBe((35, 5, 5));
        (await tooMuch.ShouldBeProblemAsync(HttpStatusCode.Conflict, null)).GetProperty("detail").GetString().ShouldBe("Only 5 credits available; at most that many can be revoked.");
        history.Select(e => (e.Kind, e.Amount, e.Sequence, e.Reason, e.ActorId))
            .ShouldBe([("revoke", 30, 1, "Demo over", adminUser.Id), ("grant", 25, null, "Conference demo", adminUser.Id), ("grant", 10, (long?)null, history.Single(e => e.ActorId is null).Reason, (Guid?)null)], ignoreOrder: true);
        var entries = audit.GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("targetId").GetString() == user.Id.ToString())
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("targetType").GetString(), e.GetProperty("details").GetRawText()))
            .ToList();
        entries.ShouldBe([
            ("admin.credits_revoked", "User", """{"amount":30,"reason":"Demo over","available":5}"""),
            ("admin.credits_granted", "User", """{"amount":25,"reason":"Conference demo","available":35}"""),
        ]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AdminRoutes_RefuseNonAdmins_UnknownUsers_AndEmptyAdjustments(string provider)
    {
        var factory = services[provider];
        var admin = factory.CreateClient((await factory.CreateUserAsync("user", "admin")).AccessToken);
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var nobody = Guid.CreateVersion7();

        await (await client.GetAsync($"/api/admin/users/{user.Id}/usage")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, null);
        await (await client.GetAsync($"/api/admin/users/{user.Id}/usage/history")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, null);
        await (await client.PostAsJsonAsync($"/api/admin/users/{user.Id}/credits", new { amount = 5, reason = "Myself" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden, null);
        await (await admin.GetAsync($"/api/admin/users/{nobody}/usage")).ShouldBeProblemAsync(HttpStatusCode.NotFound, null);
        await (await admin.GetAsync($"/api/admin/users/{nobody}/usage/history")).ShouldBeProblemAsync(HttpStatusCode.NotFound, null);
        await (await admin.PostAsJsonAsync($"/api/admin/users/{nobody}/credits", new { amount = 5, reason = "Nobody" })).ShouldBeProblemAsync(HttpStatusCode.NotFound, null);
        (await (await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/credits", new { amount = 0, reason = "Nothing" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, null))
            .GetProperty("detail").GetString().ShouldBe("Amount must not be 0: positive to grant, negative to revoke.");
        await (await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/credits", new { amount = 5, reason = "" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, null);
        await (await factory.CreateClient().GetAsync("/api/usage")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, null);
        (await HistoryAsync(client)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Admin_SeesAnotherUsersUsage_WithTheirPlan(string provider)
    {
        var factory = services[provider];
        var admin = factory.CreateClient((await factory.CreateUserAsync("user", "admin")).AccessToken);
        var other = await factory.CreateUserAsync("user", "admin");
        var user = await factory.CreateUserAsync();
        var job = await (await factory.CreateClient(user.AccessToken).CreateJobAsync("hold: a windmill in a field")).CreatedJobIdAsync();

        var userUsage = await (await admin.GetAsync($"/api/admin/users/{user.Id}/usage")).ReadJsonAsync(HttpStatusCode.OK);
        var adminUsage = await (await admin.GetAsync($"/api/admin/users/{other.Id}/usage")).ReadJsonAsync(HttpStatusCode.OK);
        var ownView = await (await factory.CreateClient(user.AccessToken).GetAsync("/api/usage")).ReadJsonAsync(HttpStatusCode.OK);
        (await factory.CreateClient(user.AccessToken).PostAsync($"/api/jobs/{job}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        userUsage.GetRawText().ShouldBe(ownView.GetRawText());
        (userUsage.GetProperty("balance").GetInt32(), userUsage.GetProperty("reserved").GetInt32(), userUsage.GetProperty("activeJobs").GetInt32()).ShouldBe((8, 2, 1));
        (adminUsage.GetProperty("balance").GetInt32(), adminUsage.GetProperty("plan").GetProperty("name").GetString(), adminUsage.GetProperty("plan").GetProperty("maxActiveJobs").GetInt32()).ShouldBe((50, "admin", 10));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task History_IsPaged_NewestFirst(string provider)
    {
        var factory = services[provider];
        var admin = factory.CreateClient((await factory.CreateUserAsync("user", "admin")).AccessToken);
        var user = await factory.CreateUserAsync();
        for (var i = 1; i <= 4; i++)
        {
            (await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/credits", new { amount = i, reason = $"Grant {i}" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var client = factory.CreateClient(user.AccessToken);
        var first = await (await client.GetAsync("/api/usage/history?page=1&limit=2")).ReadJsonAsync(HttpStatusCode.OK);
        var second = await (await client.GetAsync("/api/usage/history?page=2&limit=2")).ReadJsonAsync(HttpStatusCode.OK);
        var adminView = await (await admin.GetAsync($"/api/admin/users/{user.Id}/usage/history?page=1&limit=2")).ReadJsonAsync(HttpStatusCode.OK);

        (first.GetProperty("page").GetInt32(), first.GetProperty("limit").GetInt32(), first.GetProperty("total").GetInt32(), first.GetProperty("totalPages").GetInt32()).ShouldBe((1, 2, 5, 3));
        first.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("reason").GetString()).ShouldBe(["Grant 4", "Grant 3"]);
        (second.GetProperty("page").GetInt32(), second.GetProperty("items")[0].GetProperty("reason").GetString()).ShouldBe((2, "Grant 2"));
        adminView.GetRawText().ShouldBe(first.GetRawText());
        await (await client.GetAsync("/api/usage/history?limit=101")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, null);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ParallelJobCreations_NeverSpendTheSameCredit(string provider)
    {
        // 10 credits, 2 a job: of 20 creations at once exactly 5 get through, whatever the interleaving.
        var factory = services[provider];
        var user = await factory.CreateUserAsync();
        var clients = Enumerable.Range(0, 20).Select(_ => factory.CreateClient(user.AccessToken)).ToList();

        var answers = await Task.WhenAll(clients.Select((c, i) => c.CreateJobAsync($"A crowded market stall number {i}")));

        answers.Count(a => a.StatusCode == HttpStatusCode.Accepted).ShouldBe(5);
        answers.Count(a => a.StatusCode == HttpStatusCode.PaymentRequired).ShouldBe(15);
        var created = await Task.WhenAll(answers.Where(a => a.StatusCode == HttpStatusCode.Accepted).Select(a => a.CreatedJobIdAsync()));
        foreach (var job in created)
        {
            await clients[0].WaitForJobAsync(job);
        }

        var entries = await HistoryAsync(clients[0]);
        var usage = await (await clients[0].GetAsync("/api/usage")).ReadJsonAsync(HttpStatusCode.OK);
        entries.Where(e => e.Kind == "grant").Select(e => e.Amount).ShouldBe([10]);
        entries.Where(e => e.Kind == "reserve").Select(e => (e.Sequence, e.Amount)).OrderBy(e => e.Sequence).ShouldBe([(1L, 2), (2L, 2), (3L, 2), (4L, 2), (5L, 2)]);
        entries.Where(e => e.Kind == "reserve").Select(e => e.JobId!.Value).ShouldBe(created, ignoreOrder: true);
        entries.Where(e => e.Kind == "spend").Select(e => e.JobId!.Value).ShouldBe(created, ignoreOrder: true);
        entries.Count.ShouldBe(11);
        (usage.GetProperty("balance").GetInt32(), usage.GetProperty("reserved").GetInt32(), usage.GetProperty("spentThisPeriod").GetInt32()).ShouldBe((0, 0, 10));
    }

    internal sealed record Entry(long? Sequence, string Kind, int Amount, Guid? JobId, string? Reason, Guid? ActorId);

    private static async Task<List<Entry>> HistoryAsync(HttpClient client, string path = "/api/usage/history")
    {
        var page = await (await client.GetAsync(path + "?limit=100")).ReadJsonAsync(HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray().Select(e => new Entry(
            e.GetProperty("sequence").ValueKind == JsonValueKind.Null ? null : e.GetProperty("sequence").GetInt64(),
            e.GetProperty("kind").GetString()!,
            e.GetProperty("amount").GetInt32(),
            e.GetProperty("jobId").ValueKind == JsonValueKind.Null ? null : e.GetProperty("jobId").GetGuid(),
            e.GetProperty("reason").GetString(),
            e.GetProperty("actorId").ValueKind == JsonValueKind.Null ? null : e.GetProperty("actorId").GetGuid()))];
    }
}
