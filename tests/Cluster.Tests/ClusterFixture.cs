using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace CleanBackend.Cluster.Tests;

/// <summary>
/// The cluster the tests run against, all on 127.0.0.1: a fresh PostgreSQL database, redis-server, a fake v1 model
/// server, two instances of the built service (A and B) sharing the database, Redis and one assets folder, and
/// nginx in front of them with the committed site configuration.
/// <para>
/// Run by build/test.sh with the rest. Alone: build the service in Release, start a PostgreSQL server
/// (build/postgres.sh start prints its TEST_POSTGRES_URL), then
/// <c>TEST_POSTGRES_URL=... dotnet test tests/Cluster.Tests -c Release</c>; CLUSTER_SERVICE_DLL runs another build
/// of the service. redis-server and nginx must be installed; without them (or TEST_POSTGRES_URL) the tests are
/// skipped, except under CI=true, where they fail.
/// </para>
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string ServiceDllVariable = "CLUSTER_SERVICE_DLL";
    public const string AdminEmail = "admin@cluster.example.com";
    public const string UserPassword = "Cluster-Secret-123";

    private const string AdminPassword = "Cluster-Admin-123";

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<IDisposable> _endpoints = [];
    private DirectoryInfo? _folder;
    private int _lastLoopbackHost = 9;
    private int _users;

    public FakeModelServer ModelServer { get; } = new();

    public ClusterDatabase Database { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public ServiceInstance InstanceA { get; private set; } = null!;

    public ServiceInstance InstanceB { get; private set; } = null!;

    public NginxProxy Nginx { get; private set; } = null!;

    /// <summary>Instance A directly.</summary>
    public ServiceEndpoint A { get; private set; } = null!;

    /// <summary>Instance B directly.</summary>
    public ServiceEndpoint B { get; private set; } = null!;

    /// <summary>nginx, which spreads requests over A and B.</summary>
    public ServiceEndpoint Proxy { get; private set; } = null!;

    public SignedInUser Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: nothing may outlive it.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A user of its own for a test: created by the admin, signed in from a loopback address of its own.</summary>
    public async Task<SignedInUser> NewUserAsync(string label)
    {
        var email = $"{label}-{Interlocked.Increment(ref _users)}@cluster.example.com";
        using (var created = await A.SendAsync(HttpMethod.Post, "api/users", Admin.Token, new { email, password = UserPassword, name = label, roles = new[] { "user" } }))
        {
            await ServiceEndpoint.ReadJsonAsync(created, HttpStatusCode.Created, $"the admin creating {email}");
        }

        using var signIn = Endpoint("A", InstanceA.Url, NextLoopbackAddress());
        return await signIn.SignInAsync(email, UserPassword);
    }

    /// <summary>
    /// A loopback address no request has come from yet (127.0.0.10 and up; Linux routes all of 127/8 to lo). The
    /// login limit counts per client address, so each sign-in from a fresh address spends nobody else's permits.
    /// </summary>
    public IPAddress NextLoopbackAddress() => new([127, 0, 0, (byte)Interlocked.Increment(ref _lastLoopbackHost)]);

    /// <summary>An endpoint the caller disposes (for requests from another client address).</summary>
    public static ServiceEndpoint Endpoint(string name, Uri url, IPAddress? from = null) => new(name, url, from);

    /// <summary>The tails of every process's output, for the test output when something went wrong.</summary>
    public string Tails()
    {
        var tails = new StringBuilder();
        foreach (var instance in new[] { InstanceA, InstanceB }.OfType<ServiceInstance>())
        {
            tails.AppendLine(instance.Tail(25));
        }

        tails.AppendLine(Redis?.Process?.Tail(10) ?? "--- redis: not running");
        tails.AppendLine(Nginx?.Tail() ?? "--- nginx: not started");
        return tails.ToString();
    }

    /// <summary>The redis entry among a GET /health answer's dependencies ("connected" when all is well).</summary>
    public static string RedisState(System.Text.Json.JsonElement health) =>
        health.TryGetProperty("dependencies", out var dependencies) && dependencies.TryGetProperty("redis", out var redis)
            ? redis.GetString() ?? "null"
            : "(no redis entry)";

    public async Task DisposeAsync()
    {
        foreach (var endpoint in _endpoints)
        {
            endpoint.Dispose();
        }

        _endpoints.Clear();
        // Stopped in reverse order of starting: nginx, the instances, the fake, Redis, the database.
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            try
            {
                await _owned[i].DisposeAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Keep stopping the rest; a database that cannot be dropped must not leave processes behind.
                Console.Error.WriteLine($"Cluster clean-up: {e.Message}");
            }
        }

        _owned.Clear();
        try
        {
            _folder?.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A straggling process still writing; the temp folder is the system's to clean.
        }
    }

    private async Task StartAsync()
    {
        if (ClusterPrerequisites.Missing is { } missing)
        {
            throw new InvalidOperationException($"The cluster tests need: {missing}.");
        }

        var repository = RepositoryRoot();
        var serviceDll = Environment.GetEnvironmentVariable(ServiceDllVariable) is { Length: > 0 } given
            ? Path.GetFullPath(given)
            : Path.Combine(repository, "src", "WebApi", "bin", "Release", "net10.0", "CleanBackend.WebApi.dll");
        if (!File.Exists(serviceDll))
        {
            throw new FileNotFoundException(
                $"The service is not built: {serviceDll} is missing. Build it in Release first (build/test.sh does), or set {ServiceDllVariable} to a built CleanBackend.WebApi.dll.",
                serviceDll);
        }

        var siteFile = Path.Combine(repository, "deploy", "nginx", "cleanbackend.conf");
        _folder = Directory.CreateTempSubdirectory("cleanbackend-cluster-");
        var ports = FreePorts(4);

        Database = Own(await ClusterDatabase.CreateAsync(ClusterPrerequisites.PostgresUrl!));

        Redis = Own(new RedisServer(ClusterPrerequisites.RedisServer!, ports[0], Folder("redis")));
        await Redis.StartAsync();

        Own(ModelServer);
        await ModelServer.StartAsync();

        var shared = Folder("shared");
        var settings = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DATABASE_PROVIDER"] = "postgres",
            ["DATABASE_URL"] = Database.ConnectionString,
            // The same key on both: a token or a signed asset link from one instance holds on the other.
            ["JWT_SECRET"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
            ["REDIS_URL"] = Redis.Address,
            ["MODEL_SERVER_URL"] = ModelServer.Url.ToString(),
            ["MODEL_SERVER_PROTOCOL"] = "v1",
            ["ModelServer__PollInterval"] = "200ms",
            ["ASSETS_DIR"] = Directory.CreateDirectory(Path.Combine(shared, "assets")).FullName,
            ["Email__PickupDirectory"] = Directory.CreateDirectory(Path.Combine(shared, "mail")).FullName,
            // Short leases and polls so a killed instance's jobs are taken over within seconds.
            ["Jobs__LeaseDuration"] = "3s",
            ["Jobs__PollInterval"] = "250ms",
            ["Jobs__Concurrency"] = "8",
            // The login limit as deployed; the general one out of the way of a hundred jobs and their polling.
            ["RateLimiting__Login__PermitLimit"] = "10",
            ["RateLimiting__General__PermitLimit"] = "100000",
            // The plan's generation limits, active-job cap and credits out of the way of a hundred jobs too.
            ["Credits__Plans__User__GenerationsPerHour"] = "100000",
            ["Credits__Plans__User__CreatesPer15Minutes"] = "100000",
            ["Credits__Plans__User__MaxActiveJobs"] = "100000",
            ["Credits__Plans__User__MonthlyGrant"] = "1000000",
            ["API_URL"] = $"http://127.0.0.1:{ports[3]}",
            ["ADMIN_EMAIL"] = AdminEmail,
            ["ADMIN_PASSWORD"] = AdminPassword,
            // Inherited settings that would change what is tested.
            ["ASPNETCORE_URLS"] = null,
            ["PORT"] = null,
            ["SMTP_HOST"] = null,
            ["RATE_LIMIT_ENABLED"] = null,
            ["LOG_LEVEL"] = null,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["ConnectionStrings__Default"] = null,
            ["Jobs__Enabled"] = null,
        };

        // One at a time: the first creates the admin and migrates the database, the second finds both done.
        InstanceA = Own(new ServiceInstance("instance-a", serviceDll, ports[1], Folder("a"), settings));
        await InstanceA.StartAsync();
        InstanceB = Own(new ServiceInstance("instance-b", serviceDll, ports[2], Folder("b"), settings));
        await InstanceB.StartAsync();

        Nginx = Own(new NginxProxy(ClusterPrerequisites.Nginx!, siteFile, ports[3], [InstanceA.Port, InstanceB.Port], Folder("nginx")));
        await Nginx.StartAsync(async url =>
        {
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await probe.GetAsync(new Uri(url, "health/live"));
            return response.StatusCode == HttpStatusCode.OK;
        });

        A = KeepEndpoint("A", InstanceA.Url);
        B = KeepEndpoint("B", InstanceB.Url);
        Proxy = KeepEndpoint("nginx", Nginx.Url);

        using var adminSignIn = Endpoint("A", InstanceA.Url, NextLoopbackAddress());
        Admin = await adminSignIn.SignInAsync(AdminEmail, AdminPassword);
    }

    private ServiceEndpoint KeepEndpoint(string name, Uri url)
    {
        var endpoint = Endpoint(name, url);
        _endpoints.Add(endpoint);
        return endpoint;
    }

    private T Own<T>(T resource)
        where T : IAsyncDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_folder!.FullName, name)).FullName;

    /// <summary>The folder holding CleanBackend.sln, above the test assembly.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CleanBackend.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"CleanBackend.sln was not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>Distinct free loopback ports (held open together while they are picked, so none repeats).</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
