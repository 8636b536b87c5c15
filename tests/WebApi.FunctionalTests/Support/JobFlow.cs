using System.Net;
using System.Text.Json;

namespace CleanBackend.WebApi.FunctionalTests.Support;

public static class JobFlow
{
    /// <summary>Polls the job until it reaches <paramref name="status"/> (generation runs in the background).</summary>
    public static async Task<JsonElement> WaitForJobAsync(this HttpClient client, Guid jobId, string status = "completed")
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = await (await client.GetAsync($"/api/jobs/{jobId}", patience.Token)).ReadJsonAsync(HttpStatusCode.OK);
            var current = job.GetProperty("status").GetString();
            if (current == status)
            {
                return job;
            }

            if (current is "completed" or "failed" or "canceled")
            {
                throw new ShouldAssertException($"Job {jobId} ended {current}, not {status}: {job.GetRawText()}");
            }

            await Task.Delay(50, patience.Token);
        }
    }
}
