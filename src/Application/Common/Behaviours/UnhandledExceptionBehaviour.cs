using Microsoft.Extensions.Logging;

namespace CleanBackend.Application.Common.Behaviours;

/// <summary>Logs exceptions that are bugs, naming the use case; expected outcomes (404, 409, 400) are not errors.</summary>
public sealed partial class UnhandledExceptionBehaviour<TRequest, TResponse>(ILogger<UnhandledExceptionBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        try
        {
            return await next();
        }
        catch (Exception ex) when (IsUnexpected(ex, cancellationToken))
        {
            LogUnhandled(logger, ex, typeof(TRequest).Name);
            throw;
        }
    }

    private static bool IsUnexpected(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        ValidationFailedException or NotFoundException or ForbiddenAccessException or UnauthorizedException or ConflictException or PayloadTooLargeException => false,
        Domain.Common.DomainException => false,
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        _ => true,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in {RequestName}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string requestName);
}
