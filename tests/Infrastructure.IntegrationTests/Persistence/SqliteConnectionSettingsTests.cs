using CleanBackend.Infrastructure.IntegrationTests.Support;
using CleanBackend.Infrastructure.Persistence;
using CleanBackend.Infrastructure.Persistence.Interceptors;
using Microsoft.EntityFrameworkCore;

namespace CleanBackend.Infrastructure.IntegrationTests.Persistence;

public sealed class SqliteConnectionSettingsTests
{
    [Fact]
    public async Task EveryOpening_HasTheBusyTimeoutAndNormalSync_AlsoWhenThePoolHandsTheConnectionOutAgain()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

        for (var opening = 0; opening < 3; opening++)
        {
            await using var db = database.CreateContext(SqliteConnectionSettingsInterceptor.Instance);
            await db.Database.OpenConnectionAsync();

            (await PragmaAsync(db, "busy_timeout")).ShouldBe(SqliteConnectionSettingsInterceptor.TimeoutMilliseconds);
            (await PragmaAsync(db, "synchronous")).ShouldBe(1); // NORMAL
            (await PragmaAsync(db, "journal_mode", text: true)).ShouldBe("wal");
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<object> PragmaAsync(ApplicationDbContext db, string name, bool text = false)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        var value = await command.ExecuteScalarAsync();
        return text ? (object)Convert.ToString(value)! : Convert.ToInt32(value);
    }
}
