using CleanBackend.Domain.Jobs;

namespace CleanBackend.Infrastructure.Persistence;

/// <summary>The SQLite database: the embedded default, a file under <c>data/</c>.</summary>
public sealed class SqliteApplicationDbContext(DbContextOptions<SqliteApplicationDbContext> options)
    : ApplicationDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveConversion<Conventions.SqliteUtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<Conventions.SqliteUtcDateTimeConverter>();
    }
}

/// <summary>The SQL Server database: the production target.</summary>
public sealed class SqlServerApplicationDbContext(DbContextOptions<SqlServerApplicationDbContext> options)
    : ApplicationDbContext(options)
{
    // READPAST skips rows that other workers have locked; UPDLOCK keeps this one until the transaction ends.
    internal override IQueryable<GenerationJob> OldestQueuedJob() => GenerationJobs.FromSqlRaw(
        "SELECT TOP (1) * FROM [GenerationJobs] WITH (UPDLOCK, READPAST, ROWLOCK) WHERE [Status] = N'Queued' ORDER BY [CreatedAt], [Id]");

    internal override bool LocksQueuedJob => true;
}

/// <summary>The PostgreSQL database.</summary>
public sealed class PostgresApplicationDbContext(DbContextOptions<PostgresApplicationDbContext> options)
    : ApplicationDbContext(options)
{
    internal override IQueryable<GenerationJob> OldestQueuedJob() => GenerationJobs.FromSqlRaw(
        """SELECT * FROM "GenerationJobs" WHERE "Status" = 'Queued' ORDER BY "CreatedAt", "Id" LIMIT 1 FOR UPDATE SKIP LOCKED""");

    internal override bool LocksQueuedJob => true;
}
