using CleanBackend.Application.Auth.Commands.PurgeExpiredTokens;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CleanBackend.Infrastructure.Identity;

/// <summary>Purges expired refresh tokens, registrations and reset tokens every hour.</summary>
public sealed partial class ExpiredTokenCleanupService(IServiceScopeFactory scopes, ILogger<ExpiredTokenCleanupService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var purged = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new PurgeExpiredTokensCommand(), stoppingToken);
                LogPurged(logger, purged.RefreshTokens, purged.EmailVerifications, purged.PasswordResets);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be briefly unavailable; the next round tries again.
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Purged {RefreshTokens} refresh tokens, {Verifications} registrations, {Resets} reset tokens")]
    private static partial void LogPurged(ILogger logger, int refreshTokens, int verifications, int resets);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired tokens failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
