using System.Text.Json;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Application.Common.Models;
using CleanBackend.Domain.Accounts;
using CleanBackend.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;

namespace CleanBackend.Infrastructure.Identity;

public sealed class IdentityService(UserManager<ApplicationUser> users, ApplicationDbContext db, TimeProvider clock) : IIdentityService
{
    public async Task<PaginatedList<UserAccount>> ListAsync(UserListQuery query, CancellationToken cancellationToken)
    {
        var matching = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim().ToUpperInvariant();
            matching = matching.Where(u => u.NormalizedEmail!.Contains(search) || u.Name.ToUpper().Contains(search));
        }

        if (!string.IsNullOrWhiteSpace(query.Role))
        {
            var role = query.Role.Trim().ToUpperInvariant();
            matching = matching.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == role)));
        }

        if (query.IsActive is { } isActive)
        {
            matching = matching.Where(u => u.IsActive == isActive);
        }

        var page = await matching.OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.Id)
            .ToPaginatedListAsync(query.Page, query.Limit, cancellationToken);

        // The page's roles in one query rather than one per user.
        var ids = page.Items.Select(u => u.Id).ToList();
        var roles = (await (from ur in db.UserRoles
                            join r in db.Roles on ur.RoleId equals r.Id
                            where ids.Contains(ur.UserId)
                            select new { ur.UserId, r.Name }).ToListAsync(cancellationToken))
            .ToLookup(x => x.UserId, x => x.Name!);
        return new PaginatedList<UserAccount>([.. page.Items.Select(u => ToAccount(u, roles[u.Id]))], page.Page, page.Limit, page.Total);
    }

    public async Task<UserAccount> CreateUserAsync(string email, string name, string password, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new ConflictException("Email already registered");
        }

        var user = new ApplicationUser { Email = email, UserName = email, Name = name, EmailConfirmed = true, CreatedAt = clock.GetUtcNow().UtcDateTime };
        Succeeded(await users.CreateAsync(user, password), "create the user");
        Succeeded(await users.AddToRolesAsync(user, roles), "assign roles");
        return await ToAccountAsync(user);
    }

    public async Task<UserAccount> UpdateProfileAsync(Guid userId, string? name, IReadOnlyDictionary<string, JsonElement>? settings, CancellationToken cancellationToken)
    {
        var user = await Required(userId);
        if (name is not null)
        {
            user.Name = name;
        }

        if (settings is not null)
        {
            var merged = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(user.SettingsJson) ?? [];
            foreach (var (key, value) in settings)
            {
                if (value.ValueKind == JsonValueKind.Null)
                {
                    merged.Remove(key);
                }
                else
                {
                    merged[key] = value;
                }
            }

            // Sorted, so the same settings always read back the same way.
            user.SettingsJson = JsonSerializer.Serialize(new SortedDictionary<string, JsonElement>(merged, StringComparer.Ordinal));
        }

        Succeeded(await users.UpdateAsync(user), "update the profile");
        return await ToAccountAsync(user);
    }

    public async Task<UserAccount> SetRolesAsync(Guid userId, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        var user = await Required(userId);
        var current = await users.GetRolesAsync(user);
        Succeeded(await users.RemoveFromRolesAsync(user, current.Except(roles, StringComparer.OrdinalIgnoreCase)), "remove roles");
        Succeeded(await users.AddToRolesAsync(user, roles.Except(current, StringComparer.OrdinalIgnoreCase)), "add roles");
        return await ToAccountAsync(user);
    }

    public async Task<UserAccount> SetActiveAsync(Guid userId, bool isActive, CancellationToken cancellationToken)
    {
        var user = await Required(userId);
        user.IsActive = isActive;
        Succeeded(await users.UpdateAsync(user), isActive ? "reactivate the user" : "deactivate the user");
        return await ToAccountAsync(user);
    }

    public async Task<UserTotals> CountAsync(DateTime registeredSince, CancellationToken cancellationToken)
    {
        var counts = await db.Users.AsNoTracking()
            .GroupBy(_ => 1)
            .Select(g => new { Total = g.Count(), Active = g.Count(u => u.IsActive), Recent = g.Count(u => u.CreatedAt >= registeredSince) })
            .SingleOrDefaultAsync(cancellationToken);
        var admin = Roles.Admin.ToUpperInvariant();
        var admins = await db.UserRoles.AsNoTracking()
            .CountAsync(ur => db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == admin), cancellationToken);
        return new UserTotals(counts?.Total ?? 0, counts?.Active ?? 0, admins, counts?.Recent ?? 0);
    }

    public async Task DeleteUserAsync(Guid userId, CancellationToken cancellationToken) =>
        Succeeded(await users.DeleteAsync(await Required(userId)), "delete the user");

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
        await users.FindByIdAsync(userId.ToString()) ?? throw new NotFoundException("User not found");

    private async Task<UserAccount> ToAccountAsync(ApplicationUser user) => ToAccount(user, await users.GetRolesAsync(user));

    private static UserAccount ToAccount(ApplicationUser user, IEnumerable<string> roles) => new(
        user.Id,
        user.Email!,
        user.Name,
        [.. roles.Order(StringComparer.Ordinal)],
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
