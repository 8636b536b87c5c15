using CleanBackend.Application.Auth.Commands.PurgeExpiredTokens;
using CleanBackend.Domain.Accounts;
using CleanBackend.Infrastructure.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CleanBackend.Infrastructure.IntegrationTests.Persistence;

public sealed class PurgeExpiredTokensTests(DatabasesFixture databases) : IClassFixture<DatabasesFixture>
{
    private static readonly DateTime Issued = new(2026, 4, 1, 8, 0, 0, DateTimeKind.Utc);

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task Purge_DeletesOnlyWhatExpired_KeepingRevokedTokensUntilTheirExpiry(string provider)
    {
        var database = databases[provider];
        Guid userId;
        await using (var db = database.CreateContext())
        {
            var user = await TestUsers.AddAsync(db);
            userId = user.Id;
            var expired = RefreshToken.IssueForLogin(user.Id, SecretHash.Of("expired-" + user.Id), Issued, TimeSpan.FromDays(1), null, null);
            var live = RefreshToken.IssueForLogin(user.Id, SecretHash.Of("live-" + user.Id), Issued, TimeSpan.FromDays(30), null, null);
            var revoked = RefreshToken.IssueForLogin(user.Id, SecretHash.Of("revoked-" + user.Id), Issued, TimeSpan.FromDays(30), null, null);
            revoked.Revoke("logout", Issued.AddHours(1));
            db.RefreshTokens.AddRange(expired, live, revoked);
            db.EmailVerifications.Add(new EmailVerification($"old-{user.Id}@example.com", "Old", "hash", SecretHash.Of("1"), Issued));
            db.EmailVerifications.Add(new EmailVerification($"new-{user.Id}@example.com", "New", "hash", SecretHash.Of("2"), Issued.AddDays(2).AddHours(23)));
            db.PasswordResets.Add(new PasswordReset(user.Id, SecretHash.Of("reset-old-" + user.Id), Issued));
            db.PasswordResets.Add(new PasswordReset(user.Id, SecretHash.Of("reset-new-" + user.Id), Issued.AddDays(2).AddHours(23)));
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            var handler = new PurgeExpiredTokensCommandHandler(db, new FakeTimeProvider(new DateTimeOffset(Issued.AddDays(3))));
            var purged = await handler.Handle(new PurgeExpiredTokensCommand(), CancellationToken.None);

            purged.RefreshTokens.ShouldBeGreaterThanOrEqualTo(1);
        }

        await using (var db = database.CreateContext())
        {
            var left = await db.RefreshTokens.Where(t => t.UserId == userId).Select(t => t.RevokedReason).ToListAsync();
            left.OrderBy(r => r).ShouldBe([null, "logout"]);
            (await db.EmailVerifications.CountAsync(v => v.Email.EndsWith($"{userId}@example.com"))).ShouldBe(1);
            (await db.EmailVerifications.AnyAsync(v => v.Email == $"new-{userId}@example.com")).ShouldBeTrue();
            (await db.PasswordResets.CountAsync(r => r.UserId == userId)).ShouldBe(1);
        }
    }
}
