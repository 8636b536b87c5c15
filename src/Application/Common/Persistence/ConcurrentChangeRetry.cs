namespace CleanBackend.Application.Common.Persistence;

public static class ConcurrentChangeRetry
{
    // Workers and other requests touch the same rows for milliseconds at a time; three rounds outlast such a race.
    private const int MaxAttempts = 3;

    /// <summary>
    /// Runs a read-change-save unit of work, and runs it again from a fresh read when its save failed because another
    /// writer changed the rows meanwhile (a job's status moved on, a job joined a chat being deleted). A failed save
    /// wrote nothing, so the next round starts clean; after the last round the failure stands.
    /// </summary>
    public static async Task<T> RetryOnConcurrentChangeAsync<T>(this IApplicationDbContext db, Func<Task<T>> unitOfWork)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await unitOfWork();
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                db.DiscardChanges();
            }
        }
    }
}
