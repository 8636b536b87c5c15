using Microsoft.AspNetCore.Identity;

namespace CleanBackend.Infrastructure.Identity;

public sealed class IdentityService(UserManager<ApplicationUser> users, TimeProvider clock) : IIdentityService
{
    public async Task<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email);
        return user is null ? null : await ToAccountAsync(user);
    }

    public async Task<UserAccount?> FindByIdAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        return user is null ? null : await ToAccountAsync(user);
    }

    public string HashPassword(string password) => users.PasswordHasher.HashPassword(new ApplicationUser(), password);

    public async Task<PasswordCheck> CheckPasswordAsync(Guid userId, string password, CancellationToken cancellationToken)
    {
        var user = await Required(userId);
        if (await users.IsLockedOutAsync(user))
        {
            return new PasswordCheck(PasswordCheckOutcome.LockedOut, user.LockoutEnd?.UtcDateTime);
        }

        if (await users.CheckPasswordAsync(user, password))
        {
            await users.ResetAccessFailedCountAsync(user);
            return new PasswordCheck(PasswordCheckOutcome.Success);
        }

        await users.AccessFailedAsync(user);
        return await users.IsLockedOutAsync(user)
            ? new PasswordCheck(PasswordCheckOutcome.LockedOut, user.LockoutEnd?.UtcDateTime)
            : new PasswordCheck(PasswordCheckOutcome.WrongPassword);
    }

    public async Task<UserAccount> CreateVerifiedUserAsync(string email, string name, string passwordHash, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        var user = new ApplicationUser
        {
            Email = email,
            UserName = email,
            Name = name,
            EmailConfirmed = true,
            PasswordHash = passwordHash,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        Succeeded(await users.CreateAsync(user), "create the user");
        Succeeded(await users.AddToRolesAsync(user, roles), "assign roles");
        return await ToAccountAsync(user);
    }

    public async Task<bool> ChangePasswordAsync(Guid userId, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        var user = await Required(userId);
        if (!await users.CheckPasswordAsync(user, currentPassword))
        {
            return false;
        }

        // Not UserManager.ChangePasswordAsync: it renews the security stamp, which would also sign out the session
        // that asks. Its other sessions are ended by the caller instead.
        user.PasswordHash = users.PasswordHasher.HashPassword(user, newPassword);
        Succeeded(await users.UpdateAsync(user), "change the password");
        return true;
    }

    public async Task SetPasswordAsync(Guid userId, string newPassword, CancellationToken cancellationToken)
    {
        var user = await Required(userId);
        user.PasswordHash = users.PasswordHasher.HashPassword(user, newPassword);
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        Succeeded(await users.UpdateAsync(user), "set the password");
        Succeeded(await users.UpdateSecurityStampAsync(user), "renew the security stamp");
    }

    public async Task InvalidateAccessTokensAsync(Guid userId, CancellationToken cancellationToken) =>
        Succeeded(await users.UpdateSecurityStampAsync(await Required(userId)), "renew the security stamp");

    public async Task RecordLoginAsync(Guid userId, DateTime at, CancellationToken cancellationToken)
    {
        var user = await Required(userId);
        user.LastLoginAt = at;
        Succeeded(await users.UpdateAsync(user), "record the login");
    }

    private async Task<ApplicationUser> Required(Guid userId) =>
        await users.FindByIdAsync(userId.ToString()) ?? throw new Application.Common.Exceptions.NotFoundException("User not found");

    private async Task<UserAccount> ToAccountAsync(ApplicationUser user) => new(
        user.Id,
        user.Email!,
        user.Name,
        [.. (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal)],
        user.IsActive,
        user.EmailConfirmed,
        user.CreatedAt,
        user.LastLoginAt,
        user.SettingsJson,
        user.SecurityStamp ?? string.Empty);

    private static void Succeeded(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
