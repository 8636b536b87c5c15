using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>Rows written straight into the service's database: history the API cannot make, such as old finished jobs.</summary>
public static class DatabaseSeed
{
    public static async Task SeedAsync(this CleanBackendFactory factory, Action<ApplicationDbContext> seed)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        seed(db);
        await db.SaveChangesAsync();
    }

    /// <summary>A job that started at <paramref name="created"/> and ended <paramref name="durationMs"/> later; the worker never picks it up.</summary>
    public static GenerationJob FinishedJob(Guid userId, string prompt, DateTime created, JobStatus status, long durationMs, Guid? chatId = null)
    {
        var job = new GenerationJob(userId, prompt, null, null, 1, GenerationQuality.Draft, chatId, created);
        job.Start("history", created, TimeSpan.FromMinutes(1));
        var end = created.AddMilliseconds(durationMs);
        switch (status)
        {
            case JobStatus.Completed:
                job.Complete(end);
                break;
            case JobStatus.Failed:
                job.Fail("it broke", end);
                break;
            default:
                job.Cancel(end);
                break;
        }

        return job;
    }
}
