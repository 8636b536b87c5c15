using CleanBackend.Domain.Chats;

namespace CleanBackend.Application.Chats.Common;

public sealed record ChatDto
{
    public Guid Id { get; init; }

    public string Title { get; init; } = string.Empty;

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public DateTime? LastMessageAt { get; init; }

    public int MessageCount { get; init; }

    private sealed class Mapping : Profile
    {
        public Mapping() => CreateMap<Chat, ChatDto>();
    }
}
