using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CleanBackend.Cluster.Tests;

/// <summary>
/// A Server-Sent Events subscriber (GET /api/events) reading in the background: each <c>event:</c>/<c>data:</c>
/// block becomes a <see cref="JobEventMessage"/>, kept in arrival order for the test to look through.
/// </summary>
public sealed class EventStream : IAsyncDisposable
{
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(15);

    private readonly List<JobEventMessage> _received = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpResponseMessage _response;
    private readonly Task _reading;
    private Exception? _readError;

    private EventStream(string name, HttpResponseMessage response)
    {
        Name = name;
        _response = response;
        _reading = ReadAsync();
    }

    public string Name { get; }

    public IReadOnlyList<JobEventMessage> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<EventStream> OpenAsync(HttpClient http, string name, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var opening = new CancellationTokenSource(OpenTimeout);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, opening.Token);
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            var problem = $"{name}: GET {path} answered {(int)response.StatusCode} {response.Content.Headers.ContentType}: {await response.Content.ReadAsStringAsync(opening.Token)}";
            response.Dispose();
            throw new ShouldAssertException(problem);
        }

        return new EventStream(name, response);
    }

    /// <summary>The job ids for which an event of <paramref name="type"/> has arrived.</summary>
    public HashSet<Guid> JobsWith(string type) => [.. Received.Where(e => e.Type == type).Select(e => e.JobId)];

    /// <summary>Waits until an event of <paramref name="type"/> has arrived for every one of <paramref name="jobIds"/>.</summary>
    public async Task WaitForAllAsync(string type, IReadOnlyCollection<Guid> jobIds, TimeSpan within)
    {
        try
        {
            await Poll.UntilAsync(() => jobIds.All(JobsWith(type).Contains) || _reading.IsCompleted, within, $"{Name}: '{type}' for all {jobIds.Count} jobs");
        }
        catch (TimeoutException e)
        {
            var missing = jobIds.Except(JobsWith(type)).ToList();
            throw new ShouldAssertException($"{e.Message} Missing for {missing.Count}: {string.Join(", ", missing.Take(5))}…; {Received.Count} events received.", e);
        }

        if (!jobIds.All(JobsWith(type).Contains))
        {
            throw new ShouldAssertException($"{Name}: the stream ended before '{type}' arrived for every job ({_readError?.Message ?? "closed by the server"}).");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try
        {
            await _reading;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            // Closed on purpose.
        }

        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            await using var body = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(body);
            string? type = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    // A blank line ends one event.
                    if (data.Count > 0)
                    {
                        var message = JsonSerializer.Deserialize<JobEventMessage>(string.Join('\n', data), JsonSerializerOptions.Web)!;
                        lock (_received)
                        {
                            _received.Add(message with { Type = type ?? message.Type });
                        }
                    }

                    type = null;
                    data.Clear();
                }
                else if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    type = line["event:".Length..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Add(line["data:".Length..].TrimStart());
                }
            }
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            _readError = e;
        }
    }
}

/// <summary>An event as the service sends it: type, job, its status and progress after the event, and any error.</summary>
public sealed record JobEventMessage(string Type, Guid JobId, string Status, int Progress, string? Error, DateTime At);
