using CleanBackend.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using CleanBackend.Domain.Accounts;

namespace CleanBackend.Infrastructure.Persistence;

/// <summary>Brings the database up to date at start-up: migrations, the roles, and the administrator account when configured.</summary>
public sealed partial class DatabaseInitialiser(
    ApplicationDbContext db,
    RoleManager<ApplicationRole> roles,
    UserManager<ApplicationUser> users,
    IOptions<DatabaseOptions> options,
    IOptions<AdminOptions> admin,
    TimeProvider clock,
    ILogger<DatabaseInitialiser> logger)
{
    public async Task InitialiseAsync(CancellationToken cancellationToken)
    {
        if (options.Value.NormalizedProvider == DatabaseProvider.Sqlite)
        {
            EnsureSqliteFolder(db.Database.GetConnectionString());
        }

        if (options.Value.MigrateOnStartup)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                LogMigrating(logger, pending.Count, options.Value.NormalizedProvider);
                await db.Database.MigrateAsync(cancellationToken);
            }
        }

        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                var result = await roles.CreateAsync(new ApplicationRole(role));
                if (!result.Succeeded && !await roles.RoleExistsAsync(role))
                {
                    throw new InvalidOperationException($"Could not create role {role}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
                }
            }
        }

        await EnsureAdministratorAsync();
    }

    /// <summary>Creates the configured administrator once; an existing account only gets the admin role it lacks.</summary>
    private async Task EnsureAdministratorAsync()
    {
        if (!admin.Value.IsConfigured)
        {
            return;
        }

        var email = admin.Value.Email!.Trim().ToLowerInvariant();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new ApplicationUser { Email = email, UserName = email, Name = "Administrator", EmailConfirmed = true, CreatedAt = clock.GetUtcNow().UtcDateTime };
            Check(await users.CreateAsync(user, admin.Value.Password!), "create the administrator (ADMIN_EMAIL)");
            LogAdministratorCreated(logger, email);
        }

        foreach (var role in new[] { Roles.User, Roles.Admin })
        {
            if (!await users.IsInRoleAsync(user, role))
            {
                Check(await users.AddToRoleAsync(user, role), $"give the administrator the {role} role");
            }
        }
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Administrator account {Email} created")]
    private static partial void LogAdministratorCreated(ILogger logger, string email);

    private static void EnsureSqliteFolder(string? connectionString)
    {
        var dataSource = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(dataSource) && dataSource != ":memory:" && folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} pending migration(s) to the {Provider} database")]
    private static partial void LogMigrating(ILogger logger, int count, string provider);
}

/// <summary>
/// Initialises the database before the server takes requests. When the database cannot be reached the service
/// still starts, answers readiness with 503, and keeps trying in the background until it succeeds.
/// </summary>
public sealed partial class DatabaseInitialisationService(
    IServiceScopeFactory scopes,
    DatabaseReadiness readiness,
    ILogger<DatabaseInitialisationService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first attempt runs before the server listens, so a healthy start is ready at once.
        await TryInitialiseAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!readiness.IsInitialised && !stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(delay, stoppingToken);
            await TryInitialiseAsync(stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private async Task TryInitialiseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseInitialiser>().InitialiseAsync(cancellationToken);
            readiness.MarkInitialised();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogNotReady(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The database is not ready yet: {Reason}. Retrying in the background.")]
    private static partial void LogNotReady(ILogger logger, string reason);
}

public sealed class DatabaseReadiness
{
    private volatile bool _initialised;

    public bool IsInitialised => _initialised;

    public void MarkInitialised() => _initialised = true;
}
