using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace CleanBackend.Cluster.Tests;

/// <summary>
/// Two instances behind nginx, sharing PostgreSQL and Redis, behave as one service: jobs run once wherever they
/// are created, events, cancels, logouts and deactivations reach the other instance at once, the login limit is
/// counted across instances, and the cluster rides out a Redis outage and a killed instance. The facts run in the
/// order written; the last two stop Redis and kill instance B (and bring them back).
/// </summary>
[TestCaseOrderer(DeclarationOrderer.TypeName, DeclarationOrderer.AssemblyName)]
public sealed class ClusterTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    private static readonly TimeSpan JobsTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Quickly = TimeSpan.FromMilliseconds(10);

    [ClusterFact]
    public async Task Jobs_CreatedThroughBothInstances_CompleteExactlyOnce()
    {
        var user = await cluster.NewUserAsync("jobs");
        var ids = new List<Guid>();
        for (var i = 0; i < 100; i++)
        {
            ids.Add(await (i % 2 == 0 ? cluster.A : cluster.B).CreateJobAsync(user, $"a red cube number {i}"));
        }

        await WaitUntilCompletedAsync(cluster.A, user, ids);

        // Both instances read the same queue.
        foreach (var endpoint in new[] { cluster.A, cluster.B })
        {
            var statuses = (await endpoint.JobsAsync(user)).ToDictionary(j => j.GetProperty("id").GetGuid(), j => j.GetProperty("status").GetString());
            ids.ShouldAllBe(id => statuses[id] == "completed", $"through {endpoint}");
        }

        var submittedOtherThanOnce = ids.Where(id => cluster.ModelServer.SubmitsOf(id) != 1).Select(id => $"{id}: {cluster.ModelServer.SubmitsOf(id)}").ToList();
        submittedOtherThanOnce.ShouldBeEmpty("every job is submitted to the model server exactly once");

        var assets = await cluster.Proxy.AssetsAsync(user);
        OtherThanOneGlbAndOneThumbnail(assets, ids).ShouldBeEmpty("every job has exactly one glb and one thumbnail");
        assets.Count.ShouldBe(2 * ids.Count, "no other assets than the jobs' glbs and thumbnails");

        // The shared assets folder and key: a link made by one instance downloads through nginx from either.
        var url = new Uri(assets.First(a => a.GetProperty("format").GetString() == "glb").GetProperty("url").GetString()!);
        url.Authority.ShouldBe(cluster.Proxy.BaseUrl.Authority, "asset links point at the public address (API_URL)");
        for (var i = 0; i < 2; i++)
        {
            using var download = await cluster.Proxy.GetAbsoluteAsync(url);
            download.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await download.Content.ReadAsByteArrayAsync()).ShouldBe(TriangleGlb.Bytes);
        }
    }

    [ClusterFact]
    public async Task Events_OfJobsRunByEitherInstance_ReachSubscribersOnEveryInstance()
    {
        var user = await cluster.NewUserAsync("events");
        await using var onA = await cluster.A.OpenEventsAsync(user);
        await using var onB = await cluster.B.OpenEventsAsync(user);
        await using var throughNginx = await cluster.Proxy.OpenEventsAsync(user);

        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await (i % 2 == 0 ? cluster.A : cluster.B).CreateJobAsync(user, $"a yellow torus number {i}"));
        }

        // Which instance ran which job, seen in the leases while they run.
        using var stopWatching = new CancellationTokenSource();
        var runners = new ConcurrentDictionary<Guid, string>();
        var watching = WatchRunnersAsync(ids, runners, stopWatching.Token);
        try
        {
            await Task.WhenAll(
                onA.WaitForAllAsync("completed", ids, JobsTimeout),
                onB.WaitForAllAsync("completed", ids, JobsTimeout),
                throughNginx.WaitForAllAsync("completed", ids, JobsTimeout));
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watching;
        }

        output.WriteLine($"Jobs run by A: {runners.Values.Count(r => r == "A")}, by B: {runners.Values.Count(r => r == "B")}, unseen: {ids.Count - runners.Count}");
        runners.Values.ShouldContain("A", "some jobs ran on A, so B's subscriber heard of them from A");
        runners.Values.ShouldContain("B", "some jobs ran on B, so A's subscriber heard of them from B");
        foreach (var stream in new[] { onA, onB, throughNginx })
        {
            stream.Received.Where(e => e.Type == "completed").ShouldAllBe(e => e.Status == "completed" && e.Progress == 100, stream.Name);
        }
    }

    [ClusterFact]
    public async Task Cancel_ThroughTheInstanceNotRunningTheJob_StopsItAtTheModelServerWithinOneSecond()
    {
        var user = await cluster.NewUserAsync("cancel");
        var id = await cluster.A.CreateJobAsync(user, "hold this teapot until canceled");

        QueuedJob? job = null;
        await Poll.UntilAsync(
            async () => (job = (await cluster.Database.JobsAsync([id])).Single()).Status == "Running" && cluster.ModelServer.IsRunning(id),
            TimeSpan.FromSeconds(20),
            "the job runs on an instance and at the model server");
        var runsOnA = job!.IsHeldBy(cluster.InstanceA.ProcessId);
        (runsOnA || job.IsHeldBy(cluster.InstanceB.ProcessId)).ShouldBeTrue($"the lease owner '{job.LeaseOwner}' is A's or B's worker");
        var other = runsOnA ? cluster.B : cluster.A;
        output.WriteLine($"Runs on {(runsOnA ? "A" : "B")}; canceled through {other}");

        using (var cancel = await other.SendAsync(HttpMethod.Post, $"api/jobs/{id}/cancel", user.Token))
        {
            (await ServiceEndpoint.ReadJsonAsync(cancel, HttpStatusCode.OK, "the cancel")).GetProperty("status").GetString().ShouldBe("canceled");
        }

        var tookFor = await Poll.UntilAsync(() => cluster.ModelServer.CancelsOf(id) > 0, OneSecond, "the model server received POST .../cancel", Quickly);
        output.WriteLine($"The model server heard of the cancel {tookFor.TotalMilliseconds:0} ms after it was answered");
        (await cluster.A.JobStatusAsync(user, id)).ShouldBe("canceled");
        (await cluster.B.JobStatusAsync(user, id)).ShouldBe("canceled");
    }

    [ClusterFact]
    public async Task Logout_ThroughOneInstance_RefusesTheAccessTokenOnTheOtherWithinOneSecond()
    {
        var user = await cluster.NewUserAsync("logout");
        (await MeStatusAsync(cluster.B, user)).ShouldBe(HttpStatusCode.OK, "B accepts the token before the logout");

        using (var logout = await cluster.A.SendAsync(HttpMethod.Post, "api/auth/logout", user.Token, new { refreshToken = user.RefreshToken }))
        {
            await ServiceEndpoint.ReadJsonAsync(logout, HttpStatusCode.OK, "the logout through A");
        }

        var tookFor = await Poll.UntilAsync(
            async () => await MeStatusAsync(cluster.B, user) == HttpStatusCode.Unauthorized, OneSecond, "B answers 401 to the logged-out token", Quickly);
        output.WriteLine($"B refused the token {tookFor.TotalMilliseconds:0} ms after the logout");
    }

    [ClusterFact]
    public async Task Deactivation_ThroughOneInstance_RefusesTheUsersTokenOnTheOtherAndThroughNginxWithinOneSecond()
    {
        var user = await cluster.NewUserAsync("deactivated");
        // Both instances have seen the token as valid (and may have cached that) before the deactivation.
        (await MeStatusAsync(cluster.B, user)).ShouldBe(HttpStatusCode.OK);
        (await MeStatusAsync(cluster.Proxy, user)).ShouldBe(HttpStatusCode.OK);
        (await MeStatusAsync(cluster.Proxy, user)).ShouldBe(HttpStatusCode.OK);

        using (var deactivate = await cluster.A.SendAsync(HttpMethod.Post, $"api/admin/users/{user.Id}/deactivate", cluster.Admin.Token))
        {
            await ServiceEndpoint.ReadJsonAsync(deactivate, HttpStatusCode.OK, "the admin deactivating the user through A");
        }

        // Two refusals in a row through nginx: its round robin sends them to both instances.
        var tookFor = await Poll.UntilAsync(
            async () => await MeStatusAsync(cluster.B, user) == HttpStatusCode.Unauthorized
                && await MeStatusAsync(cluster.Proxy, user) == HttpStatusCode.Unauthorized
                && await MeStatusAsync(cluster.Proxy, user) == HttpStatusCode.Unauthorized,
            OneSecond,
            "B and nginx answer 401 to the deactivated user's token",
            Quickly);
        output.WriteLine($"Refused everywhere {tookFor.TotalMilliseconds:0} ms after the deactivation");

        using var refused = await cluster.B.SendAsync(HttpMethod.Get, "api/auth/me", user.Token);
        (await ServiceEndpoint.ReadJsonAsync(refused, HttpStatusCode.Unauthorized, "the deactivated user's token on B"))
            .GetProperty("error").GetString().ShouldBe("Account is deactivated");
    }

    [ClusterFact]
    public async Task WrongLogins_AlternatedOverBothInstances_TheEleventhIs429WithRetryAfter()
    {
        // An e-mail without an account: every attempt is a plain 401, never the account lockout's own 429 that five
        // wrong passwords for a real account bring.
        const string email = "nobody-here@cluster.example.com";
        // A client address no other request came from: the limit (10 an hour per address) starts from zero here.
        var from = cluster.NextLoopbackAddress();
        using var fromA = ClusterFixture.Endpoint("A", cluster.InstanceA.Url, from);
        using var fromB = ClusterFixture.Endpoint("B", cluster.InstanceB.Url, from);

        var answers = new List<string>();
        for (var attempt = 1; attempt <= 11; attempt++)
        {
            var endpoint = attempt % 2 == 1 ? fromA : fromB;
            using var response = await endpoint.LoginAsync(email, "Wrong-password-1");
            answers.Add($"{attempt} via {endpoint.Name}: {(int)response.StatusCode}");
            if (attempt < 11)
            {
                response.StatusCode.ShouldNotBe(HttpStatusCode.TooManyRequests, $"attempts so far: {string.Join("; ", answers)}");
                continue;
            }

            response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, $"from {from}, attempts: {string.Join("; ", answers)}");
            response.Headers.RetryAfter?.Delta.ShouldNotBeNull("Retry-After in seconds");
            response.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
        }
    }

    [ClusterFact]
    public async Task RedisOutage_RequestsKeepWorking_AndEventsCrossInstancesAgainOnceItIsBack()
    {
        var user = await cluster.NewUserAsync("outage");
        var instances = new[] { cluster.A, cluster.B };
        await cluster.Redis.StopAsync();
        try
        {
            foreach (var endpoint in instances)
            {
                await Poll.UntilAsync(
                    async () => await endpoint.HealthAsync() is { Status: HttpStatusCode.OK } health
                        && health.Answer.GetProperty("status").GetString() == "degraded"
                        && ClusterFixture.RedisState(health.Answer) != "connected",
                    TimeSpan.FromSeconds(15),
                    $"{endpoint}: GET /health answers 200, status degraded, redis not connected",
                    TimeSpan.FromMilliseconds(250));
            }

            var createdDuringOutage = new List<Guid>();
            foreach (var endpoint in instances)
            {
                await endpoint.JobsAsync(user);
                createdDuringOutage.Add(await endpoint.CreateJobAsync(user, $"a green cone while Redis is down, through {endpoint.Name}"));
                using var login = await endpoint.LoginAsync(user.Email, ClusterFixture.UserPassword);
                await ServiceEndpoint.ReadJsonAsync(login, HttpStatusCode.OK, $"a login through {endpoint} while Redis is down");
            }

            // The queue is the database's: jobs still run without Redis.
            await WaitUntilCompletedAsync(cluster.A, user, createdDuringOutage);
        }
        finally
        {
            if (cluster.Redis.Process is null)
            {
                await cluster.Redis.StartAsync();
            }
        }

        foreach (var endpoint in instances)
        {
            await Poll.UntilAsync(
                async () => await endpoint.HealthAsync() is { Status: HttpStatusCode.OK } health && ClusterFixture.RedisState(health.Answer) == "connected",
                TimeSpan.FromSeconds(15),
                $"{endpoint}: GET /health shows redis connected again",
                TimeSpan.FromMilliseconds(250));
        }

        await using var onA = await cluster.A.OpenEventsAsync(user);
        var id = await cluster.B.CreateJobAsync(user, "a blue sphere after the outage");
        await onA.WaitForAllAsync("completed", [id], TimeSpan.FromSeconds(30));
    }

    [ClusterFact]
    public async Task KilledInstance_ItsRunningJobsAreTakenOver_AndEachCompletesExactlyOnce()
    {
        var user = await cluster.NewUserAsync("takeover");
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await cluster.B.CreateJobAsync(user, $"a slow purple pyramid number {i}"));
        }

        var processB = cluster.InstanceB.ProcessId;
        IReadOnlyList<QueuedJob> heldByB = [];
        await Poll.UntilAsync(
            async () => (heldByB = [.. (await cluster.Database.JobsAsync(ids)).Where(j => j.Status == "Running" && j.IsHeldBy(processB))]).Count > 0,
            TimeSpan.FromSeconds(20),
            "B runs some of the jobs");
        await cluster.InstanceB.KillAsync();
        output.WriteLine($"Killed B while it ran {heldByB.Count} of {ids.Count} jobs");
        try
        {
            // nginx passes over the dead instance.
            for (var i = 0; i < 2; i++)
            {
                using var list = await cluster.Proxy.SendAsync(HttpMethod.Get, "api/jobs", user.Token);
                list.StatusCode.ShouldBe(HttpStatusCode.OK, "nginx answers from A while B is dead");
            }

            await WaitUntilCompletedAsync(cluster.A, user, ids);

            var assets = await cluster.A.AssetsAsync(user);
            OtherThanOneGlbAndOneThumbnail(assets, ids).ShouldBeEmpty("every job has one glb and one thumbnail: none lost, none stored twice");
            assets.Count.ShouldBe(2 * ids.Count);

            var takenOver = (await cluster.Database.JobsAsync(heldByB.Select(j => j.Id))).ToList();
            takenOver.ShouldAllBe(j => j.Status == "Completed" && j.Attempts >= 2, "B's jobs were started again by A after their leases ran out");
        }
        finally
        {
            await RestartAsync(cluster.InstanceB);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The processes' last lines, which the runner shows with a failed test.</summary>
    public Task DisposeAsync()
    {
        output.WriteLine(cluster.Tails());
        return Task.CompletedTask;
    }

    /// <summary>The jobs that do not have exactly one glb (the model server's) and one png (the thumbnail drawn from it).</summary>
    private static List<string> OtherThanOneGlbAndOneThumbnail(IReadOnlyList<JsonElement> assets, IEnumerable<Guid> ids)
    {
        var perJob = assets.GroupBy(a => (Job: a.GetProperty("jobId").GetGuid(), Format: a.GetProperty("format").GetString()))
            .ToDictionary(g => g.Key, g => g.Count());
        return [.. ids
            .Where(id => perJob.GetValueOrDefault((id, "glb")) != 1 || perJob.GetValueOrDefault((id, "png")) != 1)
            .Select(id => $"{id}: {perJob.GetValueOrDefault((id, "glb"))} glb, {perJob.GetValueOrDefault((id, "png"))} png")];
    }

    private static async Task<HttpStatusCode> MeStatusAsync(ServiceEndpoint endpoint, SignedInUser user)
    {
        using var response = await endpoint.SendAsync(HttpMethod.Get, "api/auth/me", user.Token);
        return response.StatusCode;
    }

    /// <summary>Waits until every job is completed, read through <paramref name="endpoint"/>; a failed or canceled one fails at once.</summary>
    private static async Task WaitUntilCompletedAsync(ServiceEndpoint endpoint, SignedInUser user, IReadOnlyCollection<Guid> ids)
    {
        var wanted = ids.ToHashSet();
        Dictionary<Guid, JsonElement> jobs = [];
        try
        {
            await Poll.UntilAsync(
                async () =>
                {
                    jobs = (await endpoint.JobsAsync(user)).Where(j => wanted.Contains(j.GetProperty("id").GetGuid())).ToDictionary(j => j.GetProperty("id").GetGuid());
                    var broken = jobs.Values.Where(j => j.GetProperty("status").GetString() is "failed" or "canceled").ToList();
                    if (broken.Count > 0)
                    {
                        throw new ShouldAssertException($"{broken.Count} jobs ended {broken[0].GetProperty("status")}, e.g. {broken[0].GetProperty("id")}: {broken[0].GetProperty("error")}");
                    }

                    return wanted.All(id => jobs.TryGetValue(id, out var job) && job.GetProperty("status").GetString() == "completed");
                },
                JobsTimeout,
                $"all {ids.Count} jobs completed",
                TimeSpan.FromMilliseconds(500));
        }
        catch (TimeoutException e)
        {
            var counts = jobs.Values.GroupBy(j => j.GetProperty("status").GetString()).Select(g => $"{g.Key}: {g.Count()}");
            throw new ShouldAssertException($"{e.Message} Statuses: {string.Join(", ", counts)}; {wanted.Count - jobs.Count} not listed.", e);
        }
    }

    /// <summary>Notes, from the leases, which instance runs each job until stopped.</summary>
    private async Task WatchRunnersAsync(IReadOnlyCollection<Guid> ids, ConcurrentDictionary<Guid, string> runners, CancellationToken stop)
    {
        var (pidA, pidB) = (cluster.InstanceA.ProcessId, cluster.InstanceB.ProcessId);
        while (!stop.IsCancellationRequested)
        {
            foreach (var job in await cluster.Database.JobsAsync(ids))
            {
                if (job.IsHeldBy(pidA) || job.IsHeldBy(pidB))
                {
                    runners[job.Id] = job.IsHeldBy(pidA) ? "A" : "B";
                }
            }

            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Starts a killed instance again for the facts after this one, without hiding this one's own failure.</summary>
    private async Task RestartAsync(ServiceInstance instance)
    {
        try
        {
            await instance.StartAsync();
        }
        catch (InvalidOperationException e)
        {
            output.WriteLine($"{instance.Name} could not be started again: {e.Message}");
        }
    }
}
