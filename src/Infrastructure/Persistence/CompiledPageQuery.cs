using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using AutoMapper;
using AutoMapper.QueryableExtensions;
using CleanBackend.Application.Common.Models;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CleanBackend.Infrastructure.Persistence;

/// <summary>
/// One owner's list in its order (a user's chats, newest first), read a page at a time. The plain page, which clients
/// ask for constantly, runs as a query compiled once: EF Core then skips what every LINQ query costs it on each call
/// (building the expression tree, extracting its parameters, finding its SQL in the cache), and the AutoMapper
/// projection is built once. A filtered list starts from <see cref="For"/>, the same list as an ordinary query.
/// Built once for the service's life (<see cref="ListQueries"/>).
/// </summary>
/// <typeparam name="TEntity">What the list holds.</typeparam>
/// <typeparam name="TDto">What a page answers, projected by AutoMapper in SQL.</typeparam>
internal sealed class CompiledPageQuery<TEntity, TDto>
    where TEntity : class
{
    private readonly Expression<Func<DbContext, Guid, IQueryable<TEntity>>> _list;
    private readonly Expression<Func<DbContext, Guid, int, int, IQueryable<PageRow<TDto>>>> _page;
    private readonly Expression<Func<DbContext, Guid, CancellationToken, int>> _count;

    // A compiled query belongs to one database model: one each (the tests run SQLite and PostgreSQL side by side).
    private readonly ConcurrentDictionary<IModel, Compiled> _compiled = new();

    /// <param name="list">The owner's items in list order, e.g. <c>(db, userId) => db.Set&lt;Chat&gt;().Where(c => c.UserId == userId).OrderBy(…)</c>.</param>
    /// <param name="mapping">AutoMapper's configuration, for the projection to <typeparamref name="TDto"/>.</param>
    public CompiledPageQuery(Expression<Func<DbContext, Guid, IQueryable<TEntity>>> list, IConfigurationProvider mapping)
    {
        _list = list;
        var (db, owner) = (list.Parameters[0], list.Parameters[1]);
        var skip = Expression.Parameter(typeof(int), "skip");
        var take = Expression.Parameter(typeof(int), "take");

        // ProjectTo only wraps the expression it is given in a Select: it runs nothing.
        var projected = new EnumerableQuery<TEntity>(list.Body).ProjectTo<TDto>(mapping).Expression;

        // list.Skip(skip).Take(take).Select(item => new PageRow(item, list.Count())): the page and its total in one query.
        var item = Expression.Parameter(typeof(TDto), "item");
        var total = Expression.Call(typeof(Queryable), nameof(Queryable.Count), [typeof(TDto)], projected);
        var row = Expression.Lambda<Func<TDto, PageRow<TDto>>>(
            Expression.New(typeof(PageRow<TDto>).GetConstructor([typeof(TDto), typeof(int)])!, item, total), item);
        var paged = Expression.Call(typeof(Queryable), nameof(Queryable.Take), [typeof(TDto)],
            Expression.Call(typeof(Queryable), nameof(Queryable.Skip), [typeof(TDto)], projected, skip), take);
        var rows = Expression.Call(typeof(Queryable), nameof(Queryable.Select), [typeof(TDto), typeof(PageRow<TDto>)], paged, Expression.Quote(row));
        _page = Expression.Lambda<Func<DbContext, Guid, int, int, IQueryable<PageRow<TDto>>>>(rows, db, owner, skip, take);
        _count = Expression.Lambda<Func<DbContext, Guid, CancellationToken, int>>(total, db, owner, Expression.Parameter(typeof(CancellationToken), "cancellationToken"));
    }

    /// <summary>One page of the owner's list and its total.</summary>
    public async Task<PaginatedList<TDto>> ReadAsync(DbContext context, Guid ownerId, int page, int limit, CancellationToken cancellationToken)
    {
        var compiled = _compiled.GetOrAdd(context.Model, static (_, self) => self.Compile(), this);
        var items = new List<TDto>(limit);
        var total = 0;
        await foreach (var row in compiled.Page(context, ownerId, (page - 1) * limit, limit).WithCancellation(cancellationToken))
        {
            items.Add(row.Item);
            total = row.Total;
        }

        // Only a page past the end (no row to carry the total) needs a second query.
        if (items.Count == 0 && page > 1)
        {
            total = await compiled.Count(context, ownerId, cancellationToken);
        }

        return new PaginatedList<TDto>(items, page, limit, total);
    }

    /// <summary>The owner's list, in order, as an ordinary query to filter further (not compiled).</summary>
    public IQueryable<TEntity> For(DbContext context, Guid ownerId)
    {
        // The owner goes in as a captured value, so EF Core sends it as a parameter, not as SQL text.
        var captured = new StrongBox<Guid>(ownerId);
        var body = new ParameterReplacer(_list.Parameters[0], Expression.Constant(context),
            _list.Parameters[1], Expression.Field(Expression.Constant(captured), nameof(StrongBox<Guid>.Value))).Visit(_list.Body);
        return context.Set<TEntity>().AsQueryable().Provider.CreateQuery<TEntity>(body);
    }

    private Compiled Compile() => new(EF.CompileAsyncQuery(_page), EF.CompileAsyncQuery(_count));

    private sealed record Compiled(
        Func<DbContext, Guid, int, int, IAsyncEnumerable<PageRow<TDto>>> Page,
        Func<DbContext, Guid, CancellationToken, Task<int>> Count);

    private sealed class ParameterReplacer(ParameterExpression db, Expression dbValue, ParameterExpression owner, Expression ownerValue)
        : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            node == db ? dbValue : node == owner ? ownerValue : node;
    }
}
