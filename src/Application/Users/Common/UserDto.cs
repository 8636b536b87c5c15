using System.Text.Json;

namespace CleanBackend.Application.Users.Common;

/// <summary>A user as every answer shows one: never a password hash, security stamp or token.</summary>
public sealed record UserDto
{
    public Guid Id { get; init; }

    public string Email { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public IReadOnlyList<string> Roles { get; init; } = [];

    public bool IsActive { get; init; }

    public bool EmailVerified { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? LastLoginAt { get; init; }

    /// <summary>The user's preferences, a JSON object (e.g. <c>{"emailOnJobComplete": true}</c>).</summary>
    public IReadOnlyDictionary<string, JsonElement> Settings { get; init; } = new Dictionary<string, JsonElement>();

    private sealed class Mapping : Profile
    {
        public Mapping() => CreateMap<UserAccount, UserDto>()
            .ForMember(d => d.Settings, o => o.MapFrom(s => ParseSettings(s.SettingsJson)));
    }

    private static Dictionary<string, JsonElement> ParseSettings(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(string.IsNullOrWhiteSpace(json) ? "{}" : json) ?? [];
}
