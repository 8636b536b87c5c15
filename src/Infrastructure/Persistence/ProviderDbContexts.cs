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
    : ApplicationDbContext(options);

/// <summary>The PostgreSQL database.</summary>
public sealed class PostgresApplicationDbContext(DbContextOptions<PostgresApplicationDbContext> options)
    : ApplicationDbContext(options);
