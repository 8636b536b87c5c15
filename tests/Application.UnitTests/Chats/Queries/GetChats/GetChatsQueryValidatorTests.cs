using CleanBackend.Application.Chats.Queries.GetChats;

namespace CleanBackend.Application.UnitTests.Chats.Queries.GetChats;

public class GetChatsQueryValidatorTests
{
    private readonly GetChatsQueryValidator _validator = new();

    [Theory]
    [InlineData(0, 20, 0, "Page")]
    [InlineData(-1, 20, 0, "Page")]
    [InlineData(1_000_001, 20, 0, "Page")]
    [InlineData(1, 0, 0, "Limit")]
    [InlineData(1, 101, 0, "Limit")]
    [InlineData(1, -5, 0, "Limit")]
    [InlineData(1, 20, 201, "Search")]
    public void Validate_WhenOneValueIsOutOfRange_FailsOnThatField(int page, int limit, int searchLength, string field)
    {
        var query = new GetChatsQuery(page, limit, new string('a', searchLength));

        var result = _validator.Validate(query);

        result.Errors.Select(e => e.PropertyName).ShouldBe([field]);
    }

    [Fact]
    public void Validate_WhenEveryValueIsOutOfRange_FailsOnEveryField()
    {
        var query = new GetChatsQuery(Page: 0, Limit: 101, Search: new string('a', 201));

        var result = _validator.Validate(query);

        result.Errors.Select(e => e.PropertyName).ShouldBe(["Page", "Limit", "Search"]);
    }

    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(1, 100, 0)]
    [InlineData(1, 20, 200)]
    [InlineData(1_000_000, 20, 1)]
    public void Validate_WhenValuesAreWithinRange_Passes(int page, int limit, int searchLength)
    {
        var query = new GetChatsQuery(page, limit, new string('a', searchLength));

        var result = _validator.Validate(query);

        result.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_WithDefaultsAndNoSearch_Passes()
    {
        var result = _validator.Validate(new GetChatsQuery());

        result.Errors.ShouldBeEmpty();
    }
}
