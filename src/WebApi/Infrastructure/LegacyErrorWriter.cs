using System.Text.Json.Serialization;

namespace CleanBackend.WebApi.Infrastructure;

/// <summary>
/// Errors under <c>/legacy</c> as the replaced backend's web app reads them: <c>application/json</c> with an
/// <c>error</c> string (it shows <c>application/problem+json</c> as raw text). The status codes are the contract's.
/// </summary>
public sealed class LegacyErrorWriter : IProblemDetailsWriter
{
    public const string PathPrefix = "/legacy";

    public static bool Serves(HttpContext httpContext) => httpContext.Request.Path.StartsWithSegments(PathPrefix);

    public bool CanWrite(ProblemDetailsContext context) => Serves(context.HttpContext);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var httpContext = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= httpContext.Response.StatusCode;
        return new ValueTask(httpContext.Response.WriteAsJsonAsync(ErrorOf(problem, httpContext), options: null, contentType: "application/json", httpContext.RequestAborted));
    }

    public static LegacyError ErrorOf(ProblemDetails problem, HttpContext httpContext)
    {
        ProblemDetailsSetup.AddContractMembers(problem, httpContext);
        var errors = problem is HttpValidationProblemDetails { Errors.Count: > 0 } validation ? validation.Errors : null;
        return new LegacyError(problem.Extensions["error"]?.ToString() ?? "Request failed", httpContext.TraceIdentifier, errors);
    }
}

/// <summary>The error body of the replaced backend: the sentence to show, and for invalid fields what is wrong with each.</summary>
public sealed record LegacyError(
    string Error,
    string TraceId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IDictionary<string, string[]>? Errors);
