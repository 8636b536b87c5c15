using System.Reflection;
using CleanBackend.Domain.Accounts;
using CleanBackend.Domain.ApiKeys;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Audit;
using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Credits;
using CleanBackend.Domain.Jobs;
using CleanBackend.Domain.Webhooks;
using CleanBackend.Infrastructure.Identity;
using CleanBackend.Infrastructure.Persistence.Conventions;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace CleanBackend.Infrastructure.Persistence;

/// <summary>
/// The one database of the service. Each provider has a subclass of its own so that each keeps its
/// own migrations (<c>Migrations/Sqlite</c>, <c>Migrations/SqlServer</c>, <c>Migrations/Postgres</c>).
/// </summary>
public abstract class ApplicationDbContext(DbContextOptions options)
    : IdentityDbContext<ApplicationUser, ApplicationRole, Guid>(options), IApplicationDbContext
{
    public DbSet<Chat> Chats => Set<Chat>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<GenerationJob> GenerationJobs => Set<GenerationJob>();

    public DbSet<Asset> Assets => Set<Asset>();

    public DbSet<AuditLog> AuditLogs => Set<AuditLog>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<EmailVerification> EmailVerifications => Set<EmailVerification>();

    public DbSet<PasswordReset> PasswordResets => Set<PasswordReset>();

    public DbSet<JobRequestKey> JobRequestKeys => Set<JobRequestKey>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Webhook> Webhooks => Set<Webhook>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<CreditEntry> CreditEntries => Set<CreditEntry>();

    /// <summary>
    /// The oldest queued job. Where <see cref="LocksQueuedJob"/>, it is also locked until the transaction ends, and
    /// rows other workers hold are skipped, so workers of many instances each take a different job at once.
    /// </summary>
    internal virtual IQueryable<GenerationJob> OldestQueuedJob() =>
        GenerationJobs.Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.CreatedAt).ThenBy(j => j.Id).Take(1);

    /// <summary>Whether <see cref="OldestQueuedJob"/> takes a row lock (in a transaction) that other workers skip.</summary>
    internal virtual bool LocksQueuedJob => false;

    public void DiscardChanges() => ChangeTracker.Clear();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(Assembly.GetExecutingAssembly());
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC: stored without an offset, read back marked as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
