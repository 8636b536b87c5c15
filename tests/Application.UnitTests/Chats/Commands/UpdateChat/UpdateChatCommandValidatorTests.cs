using CleanBackend.Application.Chats.Commands.UpdateChat;

namespace CleanBackend.Application.UnitTests.Chats.Commands.UpdateChat;

public class UpdateChatCommandValidatorTests
{
    private static readonly Guid ChatId = Guid.Parse("0197a1b2-0000-7000-8000-0000000000c2");

    private readonly UpdateChatCommandValidator _validator = new();

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("   \t\n")]
    public void Validate_WhenTitleIsEmptyOrWhitespace_FailsOnTitle(string title)
    {
        var result = _validator.Validate(new UpdateChatCommand(title) { Id = ChatId });

        result.Errors.Select(e => e.PropertyName).ShouldBe(["Title"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(200)]
    public void Validate_WhenTitleHasUpTo200Characters_Passes(int length)
    {
        var result = _validator.Validate(new UpdateChatCommand(new string('t', length)) { Id = ChatId });

        result.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_WhenTitleHas201Characters_FailsOnTitle()
    {
        var result = _validator.Validate(new UpdateChatCommand(new string('t', 201)) { Id = ChatId });

        result.Errors.Select(e => e.PropertyName).ShouldBe(["Title"]);
    }
}
