using System.Text.Json;
using CleanBackend.Domain.Audit;

namespace CleanBackend.Application.Common.Security;

/// <summary>
/// Records admin actions and security events. Entries are added to the unit of work of the change they
/// describe, so both are saved together or not at all.
/// </summary>
public sealed class AuditTrail(IApplicationDbContext db, IUser caller, TimeProvider clock)
{
    public void Record(string action, Guid? actorId, string? actorEmail, string? targetType = null, string? targetId = null, object? details = null) =>
        db.AuditLogs.Add(new AuditLog(
            action,
            actorId,
            actorEmail,
            targetType,
            targetId,
            details is null ? null : JsonSerializer.Serialize(details, JsonOptions),
            caller.IpAddress,
            clock.GetUtcNow().UtcDateTime));

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>The names of audited actions.</summary>
public static class AuditActions
{
    public const string Registered = "user.registered";
    public const string LoginSucceeded = "auth.login";
    public const string LoginFailed = "auth.login_failed";
    public const string AccountLocked = "auth.account_locked";
    public const string Logout = "auth.logout";
    public const string LogoutAll = "auth.logout_all";
    public const string SessionRevoked = "auth.session_revoked";
    public const string RefreshTokenReuse = "auth.refresh_token_reuse";
    public const string PasswordResetRequested = "auth.password_reset_requested";
    public const string PasswordReset = "auth.password_reset";
    public const string PasswordChanged = "auth.password_changed";
    public const string UserCreated = "user.created";
    public const string AccountDeleted = "user.deleted";
    public const string RolesChanged = "admin.roles_changed";
    public const string UserDeactivated = "admin.user_deactivated";
    public const string UserReactivated = "admin.user_reactivated";
    public const string UserDeletedByAdmin = "admin.user_deleted";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string WebhookCreated = "webhook.created";
    public const string WebhookUpdated = "webhook.updated";
    public const string WebhookDeleted = "webhook.deleted";
    public const string WebhookSecretRotated = "webhook.secret_rotated";
    public const string CreditsGranted = "admin.credits_granted";
    public const string CreditsRevoked = "admin.credits_revoked";
}
