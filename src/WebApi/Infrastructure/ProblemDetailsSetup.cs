namespace CleanBackend.WebApi.Infrastructure;

/// <summary>
/// Every error answer is RFC 9457 problem details with the request's <c>traceId</c> and an <c>error</c>
/// sentence, the field the existing clients read.
/// </summary>
public static class ProblemDetailsSetup
{
    public static IServiceCollection AddContractProblemDetails(this IServiceCollection services)
    {
        // First, so the web app under /legacy gets its own error body whoever writes the error.
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, LegacyErrorWriter>());
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            AddContractMembers(context.ProblemDetails, context.HttpContext));
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        return services;
    }

    public static void AddContractMembers(ProblemDetails problem, HttpContext httpContext)
    {
        problem.Extensions["traceId"] = httpContext.TraceIdentifier;
        problem.Type ??= problem.Status switch
        {
            // The framework knows the common codes; these it leaves without a type.
            StatusCodes.Status402PaymentRequired => "https://tools.ietf.org/html/rfc9110#section-15.5.3",
            StatusCodes.Status410Gone => "https://tools.ietf.org/html/rfc9110#section-15.5.11",
            StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
            StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
            _ => null,
        };
        if (!problem.Extensions.ContainsKey("error"))
        {
            problem.Extensions["error"] = problem.Detail ?? DefaultError(problem.Status) ?? problem.Title;
        }
    }

    public static string? DefaultError(int? status) => status switch
    {
        StatusCodes.Status400BadRequest => "Invalid request",
        StatusCodes.Status401Unauthorized => "Authentication required",
        StatusCodes.Status402PaymentRequired => "Not enough credits",
        StatusCodes.Status403Forbidden => "Access denied",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed",
        StatusCodes.Status409Conflict => "Conflict",
        StatusCodes.Status413PayloadTooLarge => "Request too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        StatusCodes.Status429TooManyRequests => "Too many requests",
        StatusCodes.Status500InternalServerError => "An unexpected error occurred",
        StatusCodes.Status503ServiceUnavailable => "Service unavailable",
        _ => null,
    };

    /// <summary>The answer [ApiController] gives for a body or query that cannot be bound (malformed JSON, wrong types).</summary>
    public static IActionResult InvalidModelState(ActionContext context)
    {
        var errors = context.ModelState
            .Where(entry => entry.Value is { Errors.Count: > 0 })
            .GroupBy(entry => FieldName(entry.Key))
            .ToDictionary(
                group => group.Key,
                group => group.SelectMany(entry => entry.Value!.Errors)
                    .Select(error => string.IsNullOrEmpty(error.ErrorMessage) ? "The value is not valid." : error.ErrorMessage)
                    .ToArray());
        var malformedBody = context.ModelState.Keys.Any(key => key.StartsWith('$'));
        var problem = new ValidationProblemDetails(errors)
        {
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more validation errors occurred.",
            Detail = malformedBody
                ? "The request body is not valid JSON for this operation."
                : errors.Values.SelectMany(messages => messages).FirstOrDefault(),
        };
        if (LegacyErrorWriter.Serves(context.HttpContext))
        {
            return new ObjectResult(LegacyErrorWriter.ErrorOf(problem, context.HttpContext))
            {
                StatusCode = StatusCodes.Status400BadRequest,
                ContentTypes = { "application/json" },
            };
        }

        AddContractMembers(problem, context.HttpContext);
        return new ObjectResult(problem)
        {
            StatusCode = StatusCodes.Status400BadRequest,
            ContentTypes = { "application/problem+json" },
        };
    }

    /// <summary>"$.title" and "Title" become "title"; a whole body that cannot be read becomes "body".</summary>
    private static string FieldName(string key)
    {
        var name = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..] : key;
        if (name.Length == 0 || name == "$" || name is "command" or "query" or "request")
        {
            return "body";
        }

        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
