using System.Text.Json;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>One Server-Sent Event: its id, its type (event:) and its JSON data.</summary>
public sealed record StreamEvent(string? Id, string Type, JsonElement Data);

/// <summary>Reads a Server-Sent Events answer one event at a time.</summary>
public static class EventStreamReader
{
    public static async Task<(string Type, JsonElement Data)> NextEventAsync(this StreamReader reader, CancellationToken cancellationToken)
    {
        var next = await reader.NextStreamEventAsync(cancellationToken) ?? throw new InvalidOperationException("The stream ended.");
        return (next.Type, next.Data);
    }

    /// <summary>The next event (its fields up to the blank line that ends it), or null when the stream ends.</summary>
    public static async Task<StreamEvent?> NextStreamEventAsync(this StreamReader reader, CancellationToken cancellationToken)
    {
        string? type = null;
        string? id = null;
        string? data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0 && data is not null)
            {
                return new StreamEvent(id, type!, JsonDocument.Parse(data).RootElement);
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        return null;
    }

    /// <summary>Every event until the service ends the stream.</summary>
    public static async Task<List<StreamEvent>> ReadEventsToEndAsync(this StreamReader reader, CancellationToken cancellationToken)
    {
        var events = new List<StreamEvent>();
        while (await reader.NextStreamEventAsync(cancellationToken) is { } next)
        {
            events.Add(next);
        }

        return events;
    }
}
