using CleanBackend.Infrastructure.Persistence;
using CleanBackend.Infrastructure.Persistence.DesignTime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CleanBackend.Infrastructure.IntegrationTests.Persistence;

/// <summary>No SQL Server runs here: its model must still build, match its migrations, and script cleanly.</summary>
public sealed class SqlServerModelTests
{
    [Fact]
    public void SqlServerModel_MatchesItsMigrations()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);

        db.Database.HasPendingModelChanges().ShouldBeFalse();
        db.Database.GetMigrations().ShouldNotBeEmpty();
    }

    [Fact]
    public void SqlServerIdempotentScript_CreatesEveryTableOnce()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var migrator = db.GetService<IMigrator>();

        var script = migrator.GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        foreach (var table in new[] { "Chats", "Messages", "MessageAttachments", "GenerationJobs", "Assets", "AuditLogs", "RefreshTokens", "EmailVerifications", "PasswordResets", "AspNetUsers" })
        {
            script.ShouldContain($"CREATE TABLE [{table}]");
        }

        script.ShouldContain("IF NOT EXISTS");
    }

    [Theory]
    [InlineData(typeof(SqliteDesignTimeFactory))]
    [InlineData(typeof(PostgresDesignTimeFactory))]
    [InlineData(typeof(SqlServerDesignTimeFactory))]
    public void EveryProvider_HasItsOwnMigrations(Type factoryType)
    {
        var factory = Activator.CreateInstance(factoryType)!;
        using var db = (ApplicationDbContext)factoryType.GetMethod("CreateDbContext")!.Invoke(factory, [Array.Empty<string>()])!;

        var migrations = db.Database.GetMigrations().ToList();

        migrations.ShouldNotBeEmpty();
        db.Database.HasPendingModelChanges().ShouldBeFalse();
        db.GetService<IMigrationsAssembly>().Migrations.Values
            .ShouldAllBe(type => type.Namespace!.EndsWith(db.GetType().Name.Replace("ApplicationDbContext", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal));
    }
}
