using Microsoft.Extensions.Logging;

namespace CleanBackend.Application.Common.Behaviours;

/// <summary>Logs which use case runs for whom; never the request's content, which may hold secrets.</summary>
public sealed partial class LoggingBehaviour<TRequest, TResponse>(ILogger<LoggingBehaviour<TRequest, TResponse>> logger, IUser user)
    : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        LogRequest(logger, typeof(TRequest).Name, user.Id);
        return next();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handling {RequestName} for user {UserId}")]
    private static partial void LogRequest(ILogger logger, string requestName, Guid? userId);
}
