using AutoMapper;
using CleanBackend.Application.Chats.Common;
using CleanBackend.Application.Common.Models;
using CleanBackend.Application.Jobs.Common;
using CleanBackend.Domain.Chats;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Infrastructure.Persistence;

/// <summary>The lists of <see cref="IListQueries"/> on this request's database context.</summary>
internal sealed class ListQueries(ApplicationDbContext db, ListQueries.Compiled compiled) : IListQueries
{
    public Task<PaginatedList<ChatDto>> ChatPageAsync(Guid userId, int page, int limit, CancellationToken cancellationToken) =>
        compiled.Chats.ReadAsync(db, userId, page, limit, cancellationToken);

    public IQueryable<Chat> ChatsOf(Guid userId) => compiled.Chats.For(db, userId);

    public Task<PaginatedList<JobDto>> JobPageAsync(Guid userId, int page, int limit, CancellationToken cancellationToken) =>
        compiled.Jobs.ReadAsync(db, userId, page, limit, cancellationToken);

    public IQueryable<GenerationJob> JobsOf(Guid userId) => compiled.Jobs.For(db, userId);

    /// <summary>The queries, compiled once for the service's life.</summary>
    internal sealed class Compiled(IConfigurationProvider mapping)
    {
        public CompiledPageQuery<Chat, ChatDto> Chats { get; } = new(
            (db, userId) => db.Set<Chat>().AsNoTracking()
                .Where(c => c.UserId == userId)
                .OrderByDescending(c => c.LastActivityAt)
                .ThenByDescending(c => c.Id),
            mapping);

        public CompiledPageQuery<GenerationJob, JobDto> Jobs { get; } = new(
            (db, userId) => db.Set<GenerationJob>().AsNoTracking()
                .Where(j => j.UserId == userId)
                .OrderByDescending(j => j.CreatedAt)
                .ThenByDescending(j => j.Id),
            mapping);
    }
}
