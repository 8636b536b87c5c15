using System.Text.Json;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>Reads a Server-Sent Events answer one event at a time.</summary>
public static class EventStreamReader
{
    public static async Task<(string Type, JsonElement Data)> NextEventAsync(this StreamReader reader, CancellationToken cancellationToken)
    {
        string? type = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return (type!, JsonDocument.Parse(line[6..]).RootElement);
            }
        }

        throw new InvalidOperationException("The stream ended.");
    }
}
