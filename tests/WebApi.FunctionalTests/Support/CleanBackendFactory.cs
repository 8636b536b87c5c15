using CleanBackend.Application.Auth.Common;
using CleanBackend.Application.Common.Interfaces;
using System.Net.Http.Headers;
using CleanBackend.Infrastructure.Identity;
using CleanBackend.Infrastructure.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using CleanBackend.Domain.Accounts;
using Microsoft.Extensions.Time.Testing;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>
/// The real service in memory: the whole HTTP pipeline on a SQLite file of its own, with its own asset,
/// log and pickup folders, all removed when the factory is disposed. With TEST_FUNCTIONAL_ON_REDIS=true every
/// service also shares state through the Redis server of TEST_REDIS_URL (under a key prefix of its own), so the
/// same tests check the service with and without Redis.
/// </summary>
public class CleanBackendFactory : WebApplicationFactory<Program>
{
    public const string JwtSecret = "functional-tests-secret-0123456789abcdef";

    public const string OnRedisVariable = "TEST_FUNCTIONAL_ON_REDIS";

    private readonly Dictionary<string, string?> _settings;

    public CleanBackendFactory()
        : this(new Dictionary<string, string?>(), "Development")
    {
    }

    private CleanBackendFactory(IDictionary<string, string?> settings, string environment)
    {
        Environment = environment;
        Root = Path.Combine(Path.GetTempPath(), "cleanbackend-functional", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(Root, "app.db")}",
            ["Storage:AssetsDir"] = Path.Combine(Root, "assets"),
            ["Email:PickupDirectory"] = Path.Combine(Root, "mail"),
            ["Log:Directory"] = LogDirectory,
            ["Log:Level"] = "debug",
            ["Jwt:Secret"] = JwtSecret,
            ["RateLimiting:Enabled"] = "false",
            ["Cors:AllowedOrigins"] = "http://localhost:3000",
        };
        if (System.Environment.GetEnvironmentVariable(OnRedisVariable) == "true" && TestRedis.Url is { } redis)
        {
            _settings["Redis:Url"] = redis;
            _settings["Redis:KeyPrefix"] = TestRedis.NewKeyPrefix();
        }

        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    /// <summary>A service with some settings changed (configuration keys, e.g. <c>Database:Provider</c>).</summary>
    public static CleanBackendFactory With(IDictionary<string, string?> settings, string environment = "Development") => new(settings, environment);

    /// <summary>A service whose generations run on <paramref name="modelServer"/> (to hold a job while it runs).</summary>
    public static CleanBackendFactory WithModelServer(IModelServer modelServer, IDictionary<string, string?>? settings = null) =>
        new(settings ?? new Dictionary<string, string?>(), "Development") { _modelServer = modelServer };

    /// <summary>
    /// A service on a clock the test moves (to let codes, tokens and links expire, or to tell changes apart). Start it
    /// at the real time (<c>new FakeTimeProvider(DateTimeOffset.UtcNow)</c>): access tokens are also checked against
    /// the real clock. It stands still until moved, so a service on it suits only tests that run no jobs, and what it
    /// does between two moves happens at one instant.
    /// </summary>
    public static CleanBackendFactory WithClock(FakeTimeProvider clock, IDictionary<string, string?>? settings = null) =>
        new(settings ?? new Dictionary<string, string?>(), "Development") { _clock = clock };

    private IModelServer? _modelServer;

    private FakeTimeProvider? _clock;

    /// <summary>
    /// Two instances of the service as behind a load balancer: one database, one asset folder and one Redis server
    /// (TEST_REDIS_URL, or <paramref name="redisUrl"/>) under a key prefix of their own; both on <paramref name="clock"/>
    /// when given (see <see cref="WithClock"/>).
    /// </summary>
    public static InstancePair Pair(
        IDictionary<string, string?>? settingsA = null,
        IDictionary<string, string?>? settingsB = null,
        IModelServer? modelServerA = null,
        string? redisUrl = null,
        FakeTimeProvider? clock = null)
    {
        var a = new CleanBackendFactory(settingsA ?? new Dictionary<string, string?>(), "Development") { _modelServer = modelServerA, _clock = clock };
        var shared = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = a._settings["Database:ConnectionString"],
            ["Storage:AssetsDir"] = a._settings["Storage:AssetsDir"],
            ["Redis:Url"] = redisUrl ?? TestRedis.Url,
            ["Redis:KeyPrefix"] = TestRedis.NewKeyPrefix(),
        };
        foreach (var (key, value) in shared)
        {
            a._settings[key] = value;
        }

        var b = new CleanBackendFactory(new Dictionary<string, string?>(shared.Concat(settingsB ?? new Dictionary<string, string?>())), "Development") { _clock = clock };
        return new InstancePair(a, b);
    }

    public string Root { get; }

    public string Environment { get; }

    public string LogDirectory => Path.Combine(Root, "logs");

    public Mailbox Mailbox => new(Path.Combine(Root, "mail"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.ConfigureTestServices(services =>
        {
            if (_clock is not null)
            {
                services.AddSingleton<TimeProvider>(_clock);
            }

            if (_modelServer is not null)
            {
                services.AddSingleton(_modelServer);
            }
        });
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public HttpClient CreateClient(string? accessToken)
    {
        var client = CreateClient();
        if (accessToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return client;
    }

    /// <summary>A verified user made directly through Identity, with an access token from the service's own issuer.</summary>
    public async Task<TestUser> CreateUserAsync(params string[] roles)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var email = $"user-{Guid.NewGuid():N}@example.com";
        var user = new ApplicationUser { Email = email, UserName = email, Name = "Test User", EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
        var created = await users.CreateAsync(user, TestUser.DefaultPassword);
        created.Succeeded.ShouldBeTrue(string.Join("; ", created.Errors.Select(e => e.Description)));
        var allRoles = roles.Length == 0 ? [Roles.User] : roles;
        (await users.AddToRolesAsync(user, allRoles)).Succeeded.ShouldBeTrue();

        var account = await scope.ServiceProvider.GetRequiredService<IIdentityService>().FindByIdAsync(user.Id, CancellationToken.None);
        var session = await scope.ServiceProvider.GetRequiredService<SessionIssuer>().StartAsync(account!, CancellationToken.None);
        return new TestUser(user.Id, email, session.Token, session.RefreshToken, TestUser.DefaultPassword);
    }

    /// <summary>Stops the service and flushes its logs, keeping its folders for inspection until disposal.</summary>
    public async Task StopServiceAsync()
    {
        _keepFolders = true;
        await DisposeAsync();
    }

    private bool _keepFolders;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && !_keepFolders)
        {
            DeleteFolders();
        }
    }

    public void DeleteFolders()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A log file still being closed; the temporary folder is left to the system.
        }
    }
}

/// <summary>Two instances of the service sharing a database and Redis (<see cref="CleanBackendFactory.Pair"/>).</summary>
public sealed record InstancePair(CleanBackendFactory A, CleanBackendFactory B) : IDisposable
{
    public void Dispose()
    {
        B.Dispose();
        A.Dispose();
    }
}

public sealed record TestUser(Guid Id, string Email, string AccessToken, string RefreshToken, string Password)
{
    public const string DefaultPassword = "Password123";
}

/// <summary>One service shared by the tests of a collection: they each make their own users.</summary>
[CollectionDefinition(Name)]
public sealed class SharedServiceCollection : ICollectionFixture<CleanBackendFactory>
{
    public const string Name = "Shared service";
}
