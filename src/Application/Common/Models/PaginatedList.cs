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
    /// <summary>Counts and reads one page in the database; the query must already be ordered.</summary>
    public static async Task<PaginatedList<T>> ToPaginatedListAsync<T>(this IQueryable<T> source, int page, int limit, CancellationToken cancellationToken)
    {
        var total = await source.CountAsync(cancellationToken);
        var items = total == 0 || (long)(page - 1) * limit >= total
            ? []
            : await source.Skip((page - 1) * limit).Take(limit).ToListAsync(cancellationToken);
        return new PaginatedList<T>(items, page, limit, total);
    }
}
