using CleanBackend.Application.Common.Exceptions;
using FluentValidation.Results;

namespace CleanBackend.Application.UnitTests.Common.Exceptions;

public class ValidationFailedExceptionTests
{
    [Fact]
    public void Constructor_WithoutFailures_HasNoErrors()
    {
        var exception = new ValidationFailedException();

        exception.Message.ShouldBe("One or more validation failures have occurred.");
        exception.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Constructor_WithFailures_GroupsMessagesByCamelCaseField()
    {
        ValidationFailure[] failures =
        [
            new("Title", "Title is required."),
            new("Limit", "Limit is too large."),
            new("Title", "Title is too long."),
            new("page", "Page is too small."),
        ];

        var exception = new ValidationFailedException(failures);

        exception.ShouldHaveErrors(new Dictionary<string, string[]>
        {
            ["title"] = ["Title is required.", "Title is too long."],
            ["limit"] = ["Limit is too large."],
            ["page"] = ["Page is too small."],
        });
    }

    [Fact]
    public void Constructor_WithRepeatedMessages_KeepsEachMessageOncePerField()
    {
        ValidationFailure[] failures =
        [
            new("Title", "Title is required."),
            new("Title", "Title is required."),
            new("Title", "Title is too long."),
            new("Search", "Title is required."),
        ];

        var exception = new ValidationFailedException(failures);

        exception.ShouldHaveErrors(new Dictionary<string, string[]>
        {
            ["title"] = ["Title is required.", "Title is too long."],
            ["search"] = ["Title is required."],
        });
    }

    [Fact]
    public void ForField_HasOneMessageForTheCamelCaseField()
    {
        var exception = ValidationFailedException.ForField("Email", "The e-mail address is already in use.");

        exception.ShouldHaveErrors(new Dictionary<string, string[]>
        {
            ["email"] = ["The e-mail address is already in use."],
        });
    }
}
