using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace CleanBackend.Cluster.Tests;

/// <summary>
/// One way into the cluster (instance A, instance B, or nginx in front of both) and the API calls the tests make
/// through it. <c>from</c> picks the loopback address requests come from: the login limit counts per client
/// address, so a test that means to hit it speaks from an address of its own.
/// </summary>
public sealed class ServiceEndpoint : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly HttpClient _streams;

    public ServiceEndpoint(string name, Uri baseUrl, IPAddress? from = null)
    {
        Name = name;
        BaseUrl = baseUrl;
        _http = new HttpClient(Handler(from)) { BaseAddress = baseUrl, Timeout = RequestTimeout };
        // Event streams live as long as the test wants; their reads are bounded by the test's own tokens.
        _streams = new HttpClient(Handler(from)) { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Name { get; }

    public Uri BaseUrl { get; }

    public override string ToString() => $"{Name} ({BaseUrl})";

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await _http.SendAsync(request);
    }

    public Task<HttpResponseMessage> LoginAsync(string email, string password) =>
        SendAsync(HttpMethod.Post, "api/auth/login", body: new { email, password });

    /// <summary>Logs in and keeps the tokens; fails the test unless the login is accepted.</summary>
    public async Task<SignedInUser> SignInAsync(string email, string password)
    {
        using var response = await LoginAsync(email, password);
        var answer = await ReadJsonAsync(response, HttpStatusCode.OK, $"login of {email}");
        return new SignedInUser(
            answer.GetProperty("user").GetProperty("id").GetGuid(), email, password,
            answer.GetProperty("token").GetString()!, answer.GetProperty("refreshToken").GetString()!);
    }

    /// <summary>POST /api/jobs for a glb; the new job's id.</summary>
    public async Task<Guid> CreateJobAsync(SignedInUser user, string prompt)
    {
        using var response = await SendAsync(HttpMethod.Post, "api/jobs", user.Token, new { prompt, formats = new[] { "glb" } });
        var answer = await ReadJsonAsync(response, HttpStatusCode.Accepted, $"creating the job '{prompt}'");
        return answer.GetProperty("job").GetProperty("id").GetGuid();
    }

    public async Task<JsonElement> GetJobAsync(SignedInUser user, Guid jobId)
    {
        using var response = await SendAsync(HttpMethod.Get, $"api/jobs/{jobId}", user.Token);
        return await ReadJsonAsync(response, HttpStatusCode.OK, $"reading job {jobId}");
    }

    public async Task<string> JobStatusAsync(SignedInUser user, Guid jobId) =>
        (await GetJobAsync(user, jobId)).GetProperty("status").GetString()!;

    /// <summary>Every job of the user (all pages of GET /api/jobs).</summary>
    public Task<IReadOnlyList<JsonElement>> JobsAsync(SignedInUser user) => AllPagesAsync(user, "api/jobs");

    /// <summary>Every asset of the user (all pages of GET /api/assets).</summary>
    public Task<IReadOnlyList<JsonElement>> AssetsAsync(SignedInUser user) => AllPagesAsync(user, "api/assets");

    /// <summary>GET /health: its status code and answer (503 answers carry the same shape).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Answer)> HealthAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, "health");
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Downloads an absolute URL (a signed asset link) through this endpoint's client.</summary>
    public Task<HttpResponseMessage> GetAbsoluteAsync(Uri url) => _http.GetAsync(url);

    /// <summary>Opens GET /api/events and returns once the stream's headers arrived (the service is listening then).</summary>
    public Task<EventStream> OpenEventsAsync(SignedInUser user) => EventStream.OpenAsync(_streams, $"{Name} events", "api/events", user.Token);

    public void Dispose()
    {
        _http.Dispose();
        _streams.Dispose();
    }

    /// <summary>The answer as JSON, after checking its status; a wrong status fails with the body in the message.</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, $"{what}: {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<IReadOnlyList<JsonElement>> AllPagesAsync(SignedInUser user, string path)
    {
        var items = new List<JsonElement>();
        // Bounded: 100 pages of 100 is far more than any test makes.
        for (var page = 1; page <= 100; page++)
        {
            using var response = await SendAsync(HttpMethod.Get, $"{path}?page={page}&limit=100", user.Token);
            var answer = await ReadJsonAsync(response, HttpStatusCode.OK, $"listing {path}");
            items.AddRange(answer.GetProperty("items").EnumerateArray());
            if (page >= answer.GetProperty("totalPages").GetInt32())
            {
                return items;
            }
        }

        throw new InvalidOperationException($"{path} has more than 100 pages.");
    }

    private static SocketsHttpHandler Handler(IPAddress? from)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            // A killed and restarted instance must not be reached through a dead pooled connection for long.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
            AllowAutoRedirect = false,
        };
        if (from is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(from.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return handler;
    }
}

/// <summary>A user signed in through the API, with the tokens of that session.</summary>
public sealed record SignedInUser(Guid Id, string Email, string Password, string Token, string RefreshToken);
