using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Logging;

/// <summary>What reaches the log files: one line in and one out per request, all under its id, and never a secret.</summary>
public sealed class RequestLoggingTests
{
    [Fact]
    public async Task RequestLines_ShareTheRequestId()
    {
        string logs;
        using (var factory = new CleanBackendFactory())
        {
            var user = await factory.CreateUserAsync();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chats") { Content = JsonContent.Create(new { title = "Logged" }) };
            request.Headers.Add("X-Request-Id", "trace-me-42");
            request.Headers.Authorization = new("Bearer", user.AccessToken);

            var response = await factory.CreateClient().SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.Created);
            await ReadToEndAsync(response);

            // The files are written in the background and flushed every second: wait for the lines while running.
            await WaitForLineAsync(factory, "app-", "Response POST /api/chats - 201 (");
            (logs, _) = await ReadLogsAfterStopAsync(factory);
        }

        // The whole log on failure: what the service wrote instead is the clue.
        var lines = logs.Split('\n').Where(l => l.Contains("\"RequestId\":\"trace-me-42\"", StringComparison.Ordinal)).ToList();
        lines.ShouldContain(l => l.Contains("Incoming POST /api/chats", StringComparison.Ordinal), customMessage: logs);
        lines.ShouldContain(l => l.Contains("Response POST /api/chats - 201 (", StringComparison.Ordinal), customMessage: logs);
        lines.ShouldContain(l => l.Contains("Handling CreateChatCommand", StringComparison.Ordinal), customMessage: logs);
    }

    [Fact]
    public async Task SecretsInBodiesQueriesAndHeaders_NeverReachTheLogFiles()
    {
        const string password = "Sup3rSecretPassw0rd!";
        string logs;
        string token;
        using (var factory = new CleanBackendFactory())
        {
            var user = await factory.CreateUserAsync();
            token = user.AccessToken;
            var client = factory.CreateClient(user.AccessToken);
            await ReadToEndAsync(await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password }));
            await ReadToEndAsync(await client.PostAsJsonAsync("/api/chats", new { title = 5, password }));
            await ReadToEndAsync(await client.PostAsync("/api/chats", new StringContent("{\"password\": \"" + password + "\", ", System.Text.Encoding.UTF8, "application/json")));
            await ReadToEndAsync(await client.GetAsync($"/api/chats?access_token={token}&password={password}"));
            await WaitForLineAsync(factory, "app-", "Response GET /api/chats - ");
            (logs, _) = await ReadLogsAfterStopAsync(factory);
        }

        logs.ShouldContain("Incoming POST /api/auth/login");
        logs.ShouldNotContain(password);
        logs.ShouldNotContain(token);
        logs.ShouldNotContain(token.Split('.')[2]);
    }

    [Fact]
    public async Task Errors_AreWrittenToTheErrorLogToo()
    {
        string appLog;
        string errorLog;
        using (var factory = CleanBackendFactory.With(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2",
        }))
        {
            var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = "someone@example.com", password = "Password123" });
            response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
            await ReadToEndAsync(response);

            // The files are written in the background and flushed every second: wait for the line while running.
            await WaitForLineAsync(factory, "app-", "Response POST /api/auth/login - 500");
            (appLog, errorLog) = await ReadLogsAfterStopAsync(factory);
        }

        // The whole log on failure: what the service did instead is the clue.
        appLog.ShouldContain("Response POST /api/auth/login - 500", customMessage: appLog);
        errorLog.ShouldContain("Response POST /api/auth/login - 500");
        errorLog.ShouldNotContain("[INF]");
    }

    /// <summary>
    /// The test server hands the answer over once its headers are out; its body ends only when the pipeline has run
    /// to the end, after the request logging's last line. Stopping before that would lose the line.
    /// </summary>
    private static async Task ReadToEndAsync(HttpResponseMessage response) => await response.Content.ReadAsByteArrayAsync();

    /// <summary>Stops the service (which flushes the asynchronous file sinks), reads its log files, then removes its folders.</summary>
    private static async Task<(string App, string Errors)> ReadLogsAfterStopAsync(CleanBackendFactory factory)
    {
        await factory.StopServiceAsync();
        try
        {
            return (await ReadLogFilesAsync(factory, "app-"), await ReadLogFilesAsync(factory, "error-"));
        }
        finally
        {
            factory.DeleteFolders();
        }
    }

    private static async Task WaitForLineAsync(CleanBackendFactory factory, string prefix, string line)
    {
        for (var tries = 0; tries < 100 && !(await ReadLogFilesAsync(factory, prefix)).Contains(line, StringComparison.Ordinal); tries++)
        {
            await Task.Delay(100);
        }
    }

    private static async Task<string> ReadLogFilesAsync(CleanBackendFactory factory, string prefix)
    {
        // Serilog makes a file with its first line: no error-*.log means no error was logged.
        var files = Directory.Exists(factory.LogDirectory) ? Directory.GetFiles(factory.LogDirectory, prefix + "*.log") : [];
        var texts = new List<string>();
        foreach (var file in files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            texts.Add(await reader.ReadToEndAsync());
        }

        return string.Join('\n', texts);
    }
}
