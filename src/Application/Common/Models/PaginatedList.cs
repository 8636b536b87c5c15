namespace CleanBackend.Application.Common.Models;

/// <summary>One page of a list, as every list endpoint answers it.</summary>
public sealed class PaginatedList<T>
{
    public PaginatedList(IReadOnlyList<T> items, int page, int limit, int total)
    {
        Items = items;
        Page = page;
        Limit = limit;
        Total = total;
        TotalPages = total == 0 ? 0 : (int)Math.Ceiling(total / (double)limit);
    }

    public IReadOnlyList<T> Items { get; }

    public int Page { get; }

    public int Limit { get; }

    public int Total { get; }

    public int TotalPages { get; }
}

public static class PaginatedListQueryableExtensions
{
    /// <summary>
    /// Reads one page and the total in one query: each row of the page carries the count as an uncorrelated subquery,
    /// which the database runs once. Only a page past the end (no rows to carry it) costs a second query for the total.
    /// The query must already be ordered.
    /// </summary>
    public static async Task<PaginatedList<T>> ToPaginatedListAsync<T>(this IQueryable<T> source, int page, int limit, CancellationToken cancellationToken)
    {
        var rows = await source
            .Skip((page - 1) * limit)
            .Take(limit)
            .Select(item => new PageRow<T>(item, source.Count()))
            .ToListAsync(cancellationToken);
        if (rows.Count > 0)
        {
            return new PaginatedList<T>([.. rows.Select(r => r.Item)], page, limit, rows[0].Total);
        }

        var total = page == 1 ? 0 : await source.CountAsync(cancellationToken);
        return new PaginatedList<T>([], page, limit, total);
    }
}

/// <summary>A row of a page: the item, and the total the database counted in the same query.</summary>
public sealed record PageRow<T>(T Item, int Total);
