using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;
using Npgsql;

namespace CleanBackend.WebApi.FunctionalTests.Webhooks;

/// <summary>A finished job's webhook event on each database, and on two instances sharing one database.</summary>
public sealed class WebhookJobEventTests(ServicesPerDatabase services) : IClassFixture<ServicesPerDatabase>
{
    public static TheoryData<string> Providers => ServicesPerDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CompletedJob_DeliversExactlyOneJobCompleted_WhoseJobIsWhatGetJobAnswers(string provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var factory = services[provider];
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user.AccessToken);
        var created = await client.CreateWebhookAsync(receiver.Url, "job.completed");
        var webhookId = created.GetProperty("id").GetGuid();

        var jobId = await client.CreateJobAsync();
        var job = await client.WaitForJobAsync(jobId);
        var request = (await receiver.WaitForAsync(1)).Single();
        var deliveries = await client.WaitForFinishedDeliveriesAsync(webhookId);
        await Task.Delay(1500);

        receiver.Received.Count.ShouldBe(1);
        var body = request.Json;
        body.PropertyNames().ShouldBe(["createdAt", "data", "id", "type"]);
        body.GetProperty("type").GetString().ShouldBe("job.completed");
        body.GetProperty("id").GetString().ShouldBe(request.Id);
        body.GetProperty("createdAt").GetDateTime().ShouldBe(job.GetProperty("completedAt").GetDateTime());
        body.GetProperty("data").PropertyNames().ShouldBe(["job"]);
        var delivered = body.GetProperty("data").GetProperty("job");
        delivered.GetProperty("assets").GetArrayLength().ShouldBeGreaterThan(0);
        WebhookFlow.WithoutLinkSignatures(delivered).ShouldBe(WebhookFlow.WithoutLinkSignatures(job));
        WebhookSignatureVerifier.IsValid(created.GetProperty("secret").GetString()!, request.Headers["Webhook-Signature"], request.Body, DateTimeOffset.UtcNow).ShouldBeTrue();
        var delivery = deliveries.EnumerateArray().Single();
        delivery.GetProperty("id").GetString().ShouldBe(request.Id);
        delivery.GetProperty("event").GetString().ShouldBe("job.completed");
        delivery.GetProperty("jobId").GetGuid().ShouldBe(jobId);
        delivery.GetProperty("status").GetString().ShouldBe("succeeded");
        delivery.GetProperty("attempts").EnumerateArray().Single().GetProperty("statusCode").GetInt32().ShouldBe(200);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TwoInstancesOnOneDatabase_DeliverEachEventExactlyOnce(string provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var database = await SharedDatabaseAsync(provider);
        var settings = new Dictionary<string, string?>(WebhookFlow.QuickDelivery());
        foreach (var (key, value) in database.Settings)
        {
            settings[key] = value;
        }

        using var pair = CleanBackendFactory.Pair(settingsA: settings, settingsB: new Dictionary<string, string?>(WebhookFlow.QuickDelivery()) { ["Database:Provider"] = provider });
        try
        {
            var user = await pair.A.CreateUserAsync();
            var onA = pair.A.CreateClient(user.AccessToken);
            var onB = pair.B.CreateClient(user.AccessToken);
            var webhookId = (await onA.CreateWebhookAsync(receiver.Url)).GetProperty("id").GetGuid();

            // Both instances run jobs and dispatch deliveries; each event must still arrive once.
            var jobs = new List<Guid>();
            for (var i = 0; i < 6; i++)
            {
                jobs.Add(await (i % 2 == 0 ? onA : onB).CreateJobAsync($"a cube number {i}"));
            }

            for (var i = 0; i < 4; i++)
            {
                await (i % 2 == 0 ? onA : onB).PostAsync($"/api/webhooks/{webhookId}/test", null);
            }

            foreach (var job in jobs)
            {
                await onA.WaitForJobAsync(job);
            }

            await receiver.WaitForAsync(10);
            await onB.WaitForFinishedDeliveriesAsync(webhookId, 10);
            await Task.Delay(1500);

            var received = receiver.Received;
            received.Count.ShouldBe(10);
            received.Select(r => r.Id).Distinct().Count().ShouldBe(10);
            received.Where(r => r.Json.GetProperty("type").GetString() == "job.completed")
                .Select(r => r.Json.GetProperty("data").GetProperty("job").GetProperty("id").GetGuid())
                .Order().ShouldBe(jobs.Order());
            var deliveries = await onA.DeliveriesAsync(webhookId);
            deliveries.EnumerateArray().ShouldAllBe(d => d.GetProperty("status").GetString() == "succeeded" && d.GetProperty("attempts").GetArrayLength() == 1);
        }
        finally
        {
            await database.DropAsync();
        }
    }

    /// <summary>SQLite: the pair's own file. PostgreSQL: a fresh database on TEST_POSTGRES_URL, dropped afterwards.</summary>
    private static async Task<SharedDatabase> SharedDatabaseAsync(string provider)
    {
        if (provider != "postgres")
        {
            return new SharedDatabase(new Dictionary<string, string?>(), () => Task.CompletedTask);
        }

        var admin = CleanBackend.Infrastructure.Persistence.PostgresConnectionString.FromUrlOrKeywords(Environment.GetEnvironmentVariable(ServicesPerDatabase.PostgresUrlVariable)!);
        var name = "cleanbackend_webhooks_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new SharedDatabase(
            new Dictionary<string, string?>
            {
                ["Database:Provider"] = "postgres",
                ["Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString,
            },
            async () =>
            {
                NpgsqlConnection.ClearAllPools();
                await using var connection = new NpgsqlConnection(admin);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            });
    }

    private sealed record SharedDatabase(IReadOnlyDictionary<string, string?> Settings, Func<Task> DropAsync);
}
