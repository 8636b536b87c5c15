using CleanBackend.Application.Chats.Common;
using CleanBackend.Application.Jobs.Common;
using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.Common.Interfaces;

/// <summary>
/// The lists clients page through constantly, each in its order. A plain page is read by a query the database side
/// prepares once; a filtered list starts from the same list as an ordinary query.
/// </summary>
public interface IListQueries
{
    /// <summary>One page of the user's chats, newest activity first, and their total.</summary>
    Task<PaginatedList<ChatDto>> ChatPageAsync(Guid userId, int page, int limit, CancellationToken cancellationToken);

    /// <summary>The user's chats, newest activity first, to filter further.</summary>
    IQueryable<Chat> ChatsOf(Guid userId);

    /// <summary>One page of the user's jobs, newest first, and their total.</summary>
    Task<PaginatedList<JobDto>> JobPageAsync(Guid userId, int page, int limit, CancellationToken cancellationToken);

    /// <summary>The user's jobs, newest first, to filter further.</summary>
    IQueryable<GenerationJob> JobsOf(Guid userId);
}
