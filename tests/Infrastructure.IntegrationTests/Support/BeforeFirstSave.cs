using CleanBackend.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CleanBackend.Infrastructure.IntegrationTests.Support;

/// <summary>
/// Plays another writer (a worker, a second request): the first time the intercepted context saves, this changes the
/// database through a connection of its own, between the handler's read and its write.
/// </summary>
public sealed class BeforeFirstSave(TestDatabase database, Func<ApplicationDbContext, Task> change) : SaveChangesInterceptor
{
    public bool Ran { get; private set; }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (!Ran)
        {
            Ran = true;
            await using var db = database.CreateContext();
            await change(db);
            await db.SaveChangesAsync(cancellationToken);
        }

        return result;
    }
}
