using System.Text.Json.Serialization;
using CleanBackend.Application.Admin.Queries.GetAdminUser;
using CleanBackend.Application.Chats.Common;
using CleanBackend.Application.Chats.Queries.GetChatOverviews;
using CleanBackend.Application.Chats.Queries.GetChatWithMessages;
using CleanBackend.Application.Users.Common;
using CleanBackend.Domain.Chats;

namespace CleanBackend.WebApi.Controllers.Legacy;

// The request and answer bodies of the replaced backend's web app. Its user and chat ids went by `_id` in some
// answers and `id` in others; a user carries both so every screen finds the one it reads.

public sealed record LegacyRegisterRequest(string Email, string UserName, string Password);

public sealed record LegacyChatRequest(string? Title);

/// <summary>A title, a pin, or both.</summary>
public sealed record LegacyChatChange(string? Title, bool? IsPinned);

public sealed record LegacyMessageRequest(string? Role, string Content);

public sealed record LegacyRolesRequest(IReadOnlyList<string> Roles);

public sealed record LegacyUser(
    Guid Id,
    [property: JsonPropertyName("_id")] Guid LegacyId,
    string Email,
    string UserName,
    IReadOnlyList<string> Roles,
    bool IsActive,
    bool EmailVerified,
    DateTime CreatedAt,
    DateTime? LastLoginAt)
{
    public static LegacyUser From(UserDto user) =>
        new(user.Id, user.Id, user.Email, user.Name, user.Roles, user.IsActive, user.EmailVerified, user.CreatedAt, user.LastLoginAt);
}

public sealed record LegacySession(string Token, string RefreshToken, int ExpiresIn, LegacyUser User);

public sealed record LegacyTokens(string Token, string RefreshToken, int ExpiresIn);

public sealed record LegacyUserAnswer(bool Ok, string? Message, LegacyUser User);

public sealed record LegacyUserList(IReadOnlyList<LegacyUser> Users, int Page, int Limit, int Total, int TotalPages);

public sealed record LegacyUserWithChats(LegacyUser User, IReadOnlyList<LegacyAdminChat> Chats)
{
    public static LegacyUserWithChats From(AdminUserDetails details) => new(
        LegacyUser.From(details.User),
        [.. details.Chats.Select(c => new LegacyAdminChat(c.Id, c.Id, c.Title, c.CreatedAt, c.MessageCount,
            [.. c.Messages.Select(m => new LegacyAdminMessage(m.Id, LegacyMessage.RoleName(m.Role), m.Content, m.CreatedAt))]))]);
}

public sealed record LegacyAdminChat(
    Guid Id,
    [property: JsonPropertyName("_id")] Guid LegacyId,
    string Title,
    DateTime CreatedAt,
    int MessageCount,
    IReadOnlyList<LegacyAdminMessage> Messages);

public sealed record LegacyAdminMessage(Guid Id, string Role, string Content, DateTime Timestamp);

public sealed record LegacyChatSummary(Guid Id, string Title, bool IsPinned, DateTime CreatedAt, DateTime UpdatedAt, int MessageCount, string? Preview)
{
    public static LegacyChatSummary From(ChatOverviewDto chat) =>
        new(chat.Id, chat.Title, chat.IsPinned, chat.CreatedAt, chat.UpdatedAt, chat.MessageCount, chat.Preview);

    /// <summary>A chat just made: not pinned, no messages yet.</summary>
    public static LegacyChatSummary Created(ChatDto chat) =>
        new(chat.Id, chat.Title, false, chat.CreatedAt, chat.UpdatedAt, chat.MessageCount, null);
}

public sealed record LegacyChat(Guid Id, string Title, bool IsPinned, DateTime CreatedAt, DateTime UpdatedAt, int MessageCount, IReadOnlyList<LegacyMessage> Messages)
{
    public static LegacyChat From(ChatWithMessagesDto chat) =>
        new(chat.Id, chat.Title, chat.IsPinned, chat.CreatedAt, chat.UpdatedAt, chat.MessageCount, [.. chat.Messages.Select(LegacyMessage.From)]);
}

public sealed record LegacyMessage(
    Guid Id,
    string Role,
    string Content,
    DateTime Timestamp,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LegacyModelData? ModelData)
{
    public static LegacyMessage From(ChatMessageDto message) => new(
        message.Id,
        RoleName(message.Role),
        message.Content,
        message.CreatedAt,
        message.Model is null ? "text" : "3d-model",
        message.Model is { } model ? new LegacyModelData(model.ModelId, model.GlbUrl, model.ObjUrl, model.PlyUrl, model.MtlUrl) : null);

    public static string RoleName(MessageRole role) => role.ToString().ToLowerInvariant();
}

public sealed record LegacyModelData(Guid ModelId, string? GlbUrl, string? ObjUrl, string? PlyUrl, string? MtlUrl);

public sealed record LegacyGenerationStarted(bool Ok, Guid JobId, string Status);
