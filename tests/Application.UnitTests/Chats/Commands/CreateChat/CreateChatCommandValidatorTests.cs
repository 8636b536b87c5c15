using CleanBackend.Application.Chats.Commands.CreateChat;

namespace CleanBackend.Application.UnitTests.Chats.Commands.CreateChat;

public class CreateChatCommandValidatorTests
{
    private readonly CreateChatCommandValidator _validator = new();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Design review")]
    public void Validate_WhenTitleIsMissingOrShort_Passes(string? title)
    {
        var result = _validator.Validate(new CreateChatCommand(title));

        result.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_WhenTitleHas200Characters_Passes()
    {
        var result = _validator.Validate(new CreateChatCommand(new string('t', 200)));

        result.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_WhenTitleHas201Characters_FailsOnTitle()
    {
        var result = _validator.Validate(new CreateChatCommand(new string('t', 201)));

        result.Errors.Select(e => e.PropertyName).ShouldBe(["Title"]);
    }
}
