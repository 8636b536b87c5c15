using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Domain.Assets;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Usage;

/// <summary>
/// A model server whose answer the prompt chooses: one starting "fail" is refused, one starting "hold" runs until it is
/// canceled, any other is a small model at once.
/// </summary>
public sealed class ScriptedModelServer : IModelServer
{
    public const string Refusal = "The prompt was refused by the model server.";

    public string Name => "scripted";

    public bool AcceptsImages => true;

    public async Task<GenerationOutput> GenerateAsync(GenerationRequest request, IProgress<int> progress, CancellationToken cancellationToken)
    {
        if (request.Prompt.StartsWith("fail", StringComparison.Ordinal))
        {
            throw new ModelServerException(Refusal);
        }

        if (request.Prompt.StartsWith("hold", StringComparison.Ordinal))
        {
            progress.Report(10);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        var glb = "glTF\u0002\0\0\0\u0010\0\0\0padding!"u8.ToArray();
        return new GenerationOutput([.. request.Formats.Select(f => new GeneratedFile("model." + f.Extension(), f, () => new MemoryStream(glb)))]);
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => Task.FromResult(true);
}

/// <summary>Services on every database whose jobs cost credits (standard 2, draft 1, each extra format 1) and whose users get 10 a month; limits off.</summary>
public sealed class CreditServices() : ServicesPerDatabase(
    new Dictionary<string, string?>
    {
        ["Credits:BuiltInGeneratorIsFree"] = "false",
        ["Credits:Plans:User:MonthlyGrant"] = "10",
        ["Credits:Plans:Admin:MonthlyGrant"] = "50",
    },
    new ScriptedModelServer());

/// <summary>Services on every database with limits on and small (3 generations an hour, 5 creations a quarter hour, 2 active jobs); jobs free.</summary>
public sealed class LimitServices() : ServicesPerDatabase(
    new Dictionary<string, string?>
    {
        ["RateLimiting:Enabled"] = "true",
        // Only the per-user limits are under test: the general and login limits stay out of the way.
        ["RateLimiting:General:PermitLimit"] = "100000",
        ["Credits:Plans:User:GenerationsPerHour"] = "3",
        ["Credits:Plans:User:CreatesPer15Minutes"] = "5",
        ["Credits:Plans:User:MaxActiveJobs"] = "2",
    },
    new ScriptedModelServer());

/// <summary>
/// The limits count in fixed windows of the real clock (each quarter hour, each hour). A test that straddled the end of
/// one would see its counts start again half-way: a test starts well inside a quarter hour instead.
/// </summary>
public static class LimitWindows
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(90);

    public static async Task AwayFromTheirEndsAsync()
    {
        var now = DateTime.UtcNow;
        var quarterEnd = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute / 15 * 15, 0, DateTimeKind.Utc).AddMinutes(15);
        if (quarterEnd - now < Margin)
        {
            await Task.Delay(quarterEnd - now + TimeSpan.FromSeconds(1));
        }
    }
}

public static class UsageFlow
{
    public static async Task<HttpResponseMessage> CreateJobAsync(this HttpClient client, string prompt, string quality = "standard", string[]? formats = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { prompt, quality, formats = formats ?? ["glb"] }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    public static async Task<Guid> CreatedJobIdAsync(this HttpResponseMessage response) =>
        (await response.ReadJsonAsync(System.Net.HttpStatusCode.Accepted)).GetProperty("job").GetProperty("id").GetGuid();
}
