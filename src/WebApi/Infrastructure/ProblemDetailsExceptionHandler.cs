using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace CleanBackend.WebApi.Infrastructure;

/// <summary>The one place where exceptions become HTTP answers.</summary>
public sealed partial class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails,
    IHostEnvironment environment,
    ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to read an answer.
            httpContext.Response.StatusCode = 499;
            return true;
        }

        var (status, title, detail) = exception switch
        {
            ValidationFailedException e => (StatusCodes.Status400BadRequest, "One or more validation errors occurred.", e.Errors.Values.SelectMany(m => m).FirstOrDefault() ?? e.Message),
            NotFoundException e => (StatusCodes.Status404NotFound, "Not Found", e.Message),
            UnauthorizedException e => (StatusCodes.Status401Unauthorized, "Unauthorized", e.Message),
            ForbiddenAccessException e => (StatusCodes.Status403Forbidden, "Forbidden", e.Message),
            ConflictException e => (StatusCodes.Status409Conflict, "Conflict", e.Message),
            PaymentRequiredException e => (StatusCodes.Status402PaymentRequired, "Payment Required", e.Message),
            DomainException e => (StatusCodes.Status409Conflict, "Conflict", e.Message),
            PayloadTooLargeException e => (StatusCodes.Status413PayloadTooLarge, "Payload Too Large", e.Message),
            GoneException e => (StatusCodes.Status410Gone, "Gone", e.Message),
            UnsupportedMediaTypeException e => (StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", e.Message),
            // Thrown while reading a multipart form: its own limits, or a body that is not a well-formed form.
            InvalidDataException e when e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) => (StatusCodes.Status413PayloadTooLarge, "Payload Too Large", "The upload is too large."),
            InvalidDataException => (StatusCodes.Status400BadRequest, "Bad Request", "The request body could not be read."),
            TooManyRequestsException e => (StatusCodes.Status429TooManyRequests, "Too Many Requests", e.Message),
            DbUpdateConcurrencyException => (StatusCodes.Status409Conflict, "Conflict", "The resource was changed by another request; try again."),
            BadHttpRequestException e => (e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload Too Large" : "Bad Request", e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request could not be read."),
            _ => (StatusCodes.Status500InternalServerError, "Internal Server Error", ProblemDetailsSetup.DefaultError(500)!),
        };

        if (status == StatusCodes.Status500InternalServerError)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        var problem = exception is ValidationFailedException validation
            ? new ValidationProblemDetails(validation.Errors)
            : new ProblemDetails();
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        if (status == StatusCodes.Status500InternalServerError && environment.IsDevelopment())
        {
            problem.Extensions["exception"] = exception.ToString();
        }

        if (exception is TooManyRequestsException { RetryAfter: { } retryAfter })
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
