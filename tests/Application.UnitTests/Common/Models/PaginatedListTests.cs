using CleanBackend.Application.Common.Models;

namespace CleanBackend.Application.UnitTests.Common.Models;

public class PaginatedListTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(20, 1)]
    [InlineData(21, 2)]
    [InlineData(57, 3)]
    public void TotalPages_WithLimitOf20_IsTheNumberOfPagesNeededForTotal(int total, int expectedPages)
    {
        var list = new PaginatedList<string>([], page: 1, limit: 20, total: total);

        list.TotalPages.ShouldBe(expectedPages);
    }

    [Fact]
    public void Constructor_KeepsItemsAndPaging()
    {
        string[] items = ["a", "b"];

        var list = new PaginatedList<string>(items, page: 3, limit: 2, total: 6);

        list.Items.ShouldBe(items);
        list.Page.ShouldBe(3);
        list.Limit.ShouldBe(2);
        list.Total.ShouldBe(6);
        list.TotalPages.ShouldBe(3);
    }
}
