namespace CleanBackend.Application.Common.Models;

/// <summary>A request for one page of a list: <c>?page=1&amp;limit=20</c>.</summary>
public interface IPageRequest
{
    int Page { get; }

    int Limit { get; }
}

public static class PageRequestRules
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The paging rules every list query shares.</summary>
    public static void AddPageRules<T>(this AbstractValidator<T> validator)
        where T : IPageRequest
    {
        validator.RuleFor(x => x.Page).GreaterThanOrEqualTo(1).LessThanOrEqualTo(1_000_000);
        validator.RuleFor(x => x.Limit).InclusiveBetween(1, MaxLimit);
    }
}
