using System.Globalization;
using CleanBackend.Application.Usage.Common;
using Microsoft.AspNetCore.Mvc.Filters;

namespace CleanBackend.WebApi.Infrastructure.RateLimiting;

/// <summary>
/// Counts an action against the caller's per-user usage limits of their plan (<see cref="UsageLimitNames"/>): over a
/// limit it answers 429 with Retry-After; every answer carries the RateLimit-Policy and RateLimit fields of the
/// IETF httpapi draft. The counts come from the database, so all instances of the service share them.
/// </summary>
/// <param name="names">The limits the action counts against.</param>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UsageLimitAttribute(params string[] names) : Attribute, IAsyncActionFilter
{
    public IReadOnlyList<string> Names { get; } = names;

    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var http = context.HttpContext;
        var limits = http.RequestServices.GetRequiredService<UsageLimits>();
        var user = http.RequestServices.GetRequiredService<IUser>();
        if (!limits.Enabled || user.Id is not { } userId)
        {
            await next();
            return;
        }

        var credits = http.RequestServices.GetRequiredService<CreditAccount>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var windows = await limits.ReadAsync(userId, await credits.PlanOfCallerAsync(user, http.RequestAborted), Names, now, http.RequestAborted);
        var response = http.Response;
        if (windows.Where(w => w.Remaining == 0).MaxBy(w => w.ResetsAt) is { } exhausted)
        {
            RateLimitFields.Write(response, windows, now, used: false);
            var seconds = RateLimitFields.SecondsUntil(exhausted.ResetsAt, now);
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too Many Requests",
                    Detail = string.Create(CultureInfo.InvariantCulture, $"Your plan allows {exhausted.Limit} {Describe(exhausted.Name)} per {Window(exhausted.WindowSeconds)}; try again in {seconds} seconds."),
                },
            });
            context.Result = new EmptyResult();
            return;
        }

        // Written as the answer starts, whatever it is (an error answer included): only a success used a permit.
        response.OnStarting(() =>
        {
            RateLimitFields.Write(response, windows, now, used: response.StatusCode is >= 200 and < 300);
            return Task.CompletedTask;
        });
        await next();
    }

    private static string Describe(string name) => name == UsageLimitNames.Generation ? "generations" : "creations (chats, messages, uploads and jobs)";

    private static string Window(int seconds) => seconds % 3600 == 0
        ? (seconds == 3600 ? "hour" : $"{seconds / 3600} hours")
        : $"{seconds / 60} minutes";
}

/// <summary>The RateLimit-Policy and RateLimit fields (draft-ietf-httpapi-ratelimit-headers): one list member per limit.</summary>
public static class RateLimitFields
{
    public const string Policy = "RateLimit-Policy";
    public const string Current = "RateLimit";

    public static void Write(HttpResponse response, IReadOnlyList<UsageWindow> windows, DateTime now, bool used)
    {
        response.Headers[Policy] = string.Join(", ", windows.Select(w => string.Create(CultureInfo.InvariantCulture, $"\"{w.Name}\";q={w.Limit};w={w.WindowSeconds}")));
        response.Headers[Current] = string.Join(", ", windows.Select(w =>
            string.Create(CultureInfo.InvariantCulture, $"\"{w.Name}\";r={Math.Max(0, w.Remaining - (used ? 1 : 0))};t={SecondsUntil(w.ResetsAt, now)}")));
    }

    public static int SecondsUntil(DateTime at, DateTime now) => Math.Max(1, (int)Math.Ceiling((at - now).TotalSeconds));
}
