using CleanBackend.Application.Chats.Commands.UpdateChat;
using CleanBackend.Application.Chats.Common;
using CleanBackend.Application.Chats.Queries.GetChats;
using CleanBackend.Application.Common.Behaviours;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Application.Common.Models;
using CleanBackend.Application.UnitTests.Common.Exceptions;
using FluentValidation;
using MediatR;

namespace CleanBackend.Application.UnitTests.Common.Behaviours;

public class ValidationBehaviourTests
{
    private static readonly Guid ChatId = Guid.Parse("0197a1b2-0000-7000-8000-0000000000c1");

    private int _nextCalls;

    [Fact]
    public async Task Handle_WhenValidationFails_ThrowsWithErrorsByField()
    {
        var behaviour = new ValidationBehaviour<UpdateChatCommand, ChatDto>([new UpdateChatCommandValidator()]);

        var exception = await Should.ThrowAsync<ValidationFailedException>(
            () => behaviour.Handle(new UpdateChatCommand("   ") { Id = ChatId }, CancellationToken.None, Next(new ChatDto())));

        exception.ShouldHaveErrors(new Dictionary<string, string[]>
        {
            ["title"] = ["'Title' must not be empty."],
        });
        _nextCalls.ShouldBe(0);
    }

    [Fact]
    public async Task Handle_WhenSeveralFieldsFail_ThrowsWithEveryFieldAndMessage()
    {
        var behaviour = new ValidationBehaviour<GetChatsQuery, PaginatedList<ChatDto>>([new GetChatsQueryValidator()]);
        var query = new GetChatsQuery(Page: 0, Limit: 101, Search: new string('a', 201));

        var exception = await Should.ThrowAsync<ValidationFailedException>(
            () => behaviour.Handle(query, CancellationToken.None, Next(EmptyPage())));

        exception.ShouldHaveErrors(new Dictionary<string, string[]>
        {
            ["page"] = ["'Page' must be greater than or equal to '1'."],
            ["limit"] = ["'Limit' must be between 1 and 100. You entered 101."],
            ["search"] = ["The length of 'Search' must be 200 characters or fewer. You entered 201 characters."],
        });
        _nextCalls.ShouldBe(0);
    }

    [Fact]
    public async Task Handle_WhenSeveralValidatorsFail_ThrowsWithTheFailuresOfAll()
    {
        var idRequired = new InlineValidator<UpdateChatCommand>();
        idRequired.RuleFor(c => c.Id).NotEmpty().WithMessage("The chat id is required.");
        var behaviour = new ValidationBehaviour<UpdateChatCommand, ChatDto>([new UpdateChatCommandValidator(), idRequired]);

        var exception = await Should.ThrowAsync<ValidationFailedException>(
            () => behaviour.Handle(new UpdateChatCommand(string.Empty), CancellationToken.None, Next(new ChatDto())));

        exception.ShouldHaveErrors(new Dictionary<string, string[]>
        {
            ["title"] = ["'Title' must not be empty."],
            ["id"] = ["The chat id is required."],
        });
        _nextCalls.ShouldBe(0);
    }

    [Fact]
    public async Task Handle_WhenValidationPasses_CallsNextOnceAndReturnsItsResult()
    {
        var behaviour = new ValidationBehaviour<UpdateChatCommand, ChatDto>([new UpdateChatCommandValidator()]);
        var expected = new ChatDto { Id = ChatId, Title = "Design review" };

        var result = await behaviour.Handle(new UpdateChatCommand("Design review") { Id = ChatId }, CancellationToken.None, Next(expected));

        result.ShouldBeSameAs(expected);
        _nextCalls.ShouldBe(1);
    }

    [Fact]
    public async Task Handle_WhenThereAreNoValidators_CallsNextOnceAndReturnsItsResult()
    {
        var behaviour = new ValidationBehaviour<UpdateChatCommand, ChatDto>([]);
        var expected = new ChatDto { Id = ChatId, Title = string.Empty };

        var result = await behaviour.Handle(new UpdateChatCommand(string.Empty) { Id = ChatId }, CancellationToken.None, Next(expected));

        result.ShouldBeSameAs(expected);
        _nextCalls.ShouldBe(1);
    }

    private static PaginatedList<ChatDto> EmptyPage() => new([], page: 1, limit: 20, total: 0);

    private RequestHandlerDelegate<T> Next<T>(T result) => () =>
    {
        _nextCalls++;
        return Task.FromResult(result);
    };
}
