using CleanBackend.Application.ApiKeys.Common;
using CleanBackend.Application.Common.Security;
using CleanBackend.Domain.ApiKeys;

namespace CleanBackend.Application.ApiKeys.Commands.CreateApiKey;

/// <summary>Makes a key for the caller; its secret is in the answer and nowhere else.</summary>
/// <param name="Name">What the key is for, 1 to 100 characters.</param>
/// <param name="Scopes">What it may do: one or more of jobs:read, jobs:write, assets:read, assets:write, chats:read, chats:write, usage:read.</param>
/// <param name="ExpiresAt">When it stops working by itself (in the future); never when absent.</param>
/// <param name="Mode">live (the default) or test: a test key's jobs run on the built-in generator and cost nothing.</param>
public sealed record CreateApiKeyCommand(string Name, IReadOnlyList<string>? Scopes, DateTime? ExpiresAt = null, ApiKeyMode? Mode = null) : IRequest<ApiKeyCreatedDto>;

public sealed class CreateApiKeyCommandValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyCommandValidator(TimeProvider clock)
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Name is required")
            .Must(n => n.Trim().Length <= ApiKey.NameMaxLength).WithMessage($"Name must be at most {ApiKey.NameMaxLength} characters");
        RuleFor(x => x.Scopes).NotEmpty().WithMessage("At least one scope is required");
        RuleForEach(x => x.Scopes).Must(ApiKeyScopes.IsKnown)
            .WithMessage((_, scope) => $"Unknown scope '{scope}'; known scopes: {string.Join(", ", ApiKeyScopes.All)}");
        RuleFor(x => x.ExpiresAt).Must(e => e is null || e.Value.ToUniversalTime() > clock.GetUtcNow().UtcDateTime)
            .WithMessage("Expiry must be in the future");
        RuleFor(x => x.Mode).IsInEnum();
    }
}

public sealed class CreateApiKeyCommandHandler(IApplicationDbContext db, IUser caller, AuditTrail audit, TimeProvider clock)
    : IRequestHandler<CreateApiKeyCommand, ApiKeyCreatedDto>
{
    public async Task<ApiKeyCreatedDto> Handle(CreateApiKeyCommand request, CancellationToken cancellationToken)
    {
        var userId = caller.RequiredId();
        var now = clock.GetUtcNow().UtcDateTime;
        var active = await db.ApiKeys.CountAsync(k => k.UserId == userId && k.RevokedAt == null, cancellationToken);
        var (key, secret) = ApiKey.Create(
            userId, request.Name, request.Scopes ?? [], request.Mode ?? ApiKeyMode.Live, request.ExpiresAt?.ToUniversalTime(), active, now);

        db.ApiKeys.Add(key);
        audit.Record(AuditActions.ApiKeyCreated, userId, caller.Email, "api_key", key.Id.ToString(), new { key.Name, key.Prefix, key.Scopes, mode = key.Mode.ToString().ToLowerInvariant(), key.ExpiresAt });
        await db.SaveChangesAsync(cancellationToken);
        return new ApiKeyCreatedDto(key.Id, key.Name, key.Prefix, key.Scopes, key.Mode, key.CreatedAt, key.ExpiresAt, key.LastUsedAt, secret);
    }
}
