using Microsoft.AspNetCore.Identity;

namespace CleanBackend.Infrastructure.Identity;

/// <summary>An account. The security stamp is carried in access tokens, so changing it ends every session at once.</summary>
public class ApplicationUser : IdentityUser<Guid>
{
    public const int NameMaxLength = 100;

    public ApplicationUser()
    {
        Id = Guid.CreateVersion7();
        SecurityStamp = Guid.NewGuid().ToString("N");
    }

    public string Name { get; set; } = string.Empty;

    public bool IsActive { get; set; } = true;

    public DateTime CreatedAt { get; set; }

    public DateTime? LastLoginAt { get; set; }

    /// <summary>The user's settings as a JSON object (notification and display preferences).</summary>
    public string SettingsJson { get; set; } = "{}";
}
