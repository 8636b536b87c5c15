using CleanBackend.Infrastructure.Identity;
using CleanBackend.Infrastructure.Persistence;

namespace CleanBackend.Infrastructure.IntegrationTests.Support;

public static class TestUsers
{
    public static async Task<ApplicationUser> AddAsync(ApplicationDbContext db)
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        var user = new ApplicationUser
        {
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Name = "Test User",
            EmailConfirmed = true,
            CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }
}
