using CleanBackend.Domain.Accounts;
using CleanBackend.Domain.ApiKeys;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Audit;
using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Credits;
using CleanBackend.Domain.Jobs;
using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Application.Common.Interfaces;

/// <summary>The database as the use cases see it; handlers query and change it directly.</summary>
public interface IApplicationDbContext
{
    DbSet<Chat> Chats { get; }

    DbSet<Message> Messages { get; }

    DbSet<GenerationJob> GenerationJobs { get; }

    DbSet<Asset> Assets { get; }

    DbSet<AuditLog> AuditLogs { get; }

    DbSet<RefreshToken> RefreshTokens { get; }

    DbSet<EmailVerification> EmailVerifications { get; }

    DbSet<PasswordReset> PasswordResets { get; }

    DbSet<JobRequestKey> JobRequestKeys { get; }

    DbSet<ApiKey> ApiKeys { get; }

    DbSet<Webhook> Webhooks { get; }

    DbSet<WebhookDelivery> WebhookDeliveries { get; }

    /// <summary>The credit ledger: rows are only ever added.</summary>
    DbSet<CreditEntry> CreditEntries { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>Forgets every change not yet saved, after a unit of work failed half way.</summary>
    void DiscardChanges();
}
