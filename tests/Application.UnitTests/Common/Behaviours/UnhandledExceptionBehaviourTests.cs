using CleanBackend.Application.Common.Behaviours;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Common;
using Microsoft.Extensions.Logging;
using Moq;

namespace CleanBackend.Application.UnitTests.Common.Behaviours;

public sealed record RenameThing(string Name);

public class UnhandledExceptionBehaviourTests
{
    private readonly Mock<ILogger<UnhandledExceptionBehaviour<RenameThing, string>>> _logger = LoggerMock.Create<UnhandledExceptionBehaviour<RenameThing, string>>();

    [Fact]
    public async Task Handle_WhenUnexpectedExceptionIsThrown_LogsErrorAndRethrows()
    {
        var behaviour = new UnhandledExceptionBehaviour<RenameThing, string>(_logger.Object);
        var thrown = new InvalidOperationException("Sequence contains more than one element");

        var caught = await Should.ThrowAsync<InvalidOperationException>(
            () => behaviour.Handle(new RenameThing("chair"), CancellationToken.None, () => throw thrown));

        caught.ShouldBeSameAs(thrown);
        _logger.Verify(
            l => l.Log(LogLevel.Error, It.IsAny<EventId>(), It.IsAny<It.IsAnyType>(), thrown, It.IsAny<Func<It.IsAnyType, Exception?, string>>()),
            Times.Once);
        var entry = _logger.Entries().ShouldHaveSingleItem();
        entry.Message.ShouldBe("Unhandled exception in RenameThing");
        entry.Exception.ShouldBeSameAs(thrown);
    }

    [Theory]
    [InlineData(typeof(NotFoundException))]
    [InlineData(typeof(ValidationFailedException))]
    [InlineData(typeof(ConflictException))]
    [InlineData(typeof(DomainException))]
    [InlineData(typeof(ForbiddenAccessException))]
    [InlineData(typeof(UnauthorizedException))]
    public async Task Handle_WhenExpectedExceptionIsThrown_RethrowsWithoutLogging(Type exceptionType)
    {
        var behaviour = new UnhandledExceptionBehaviour<RenameThing, string>(_logger.Object);
        var thrown = (Exception)Activator.CreateInstance(exceptionType)!;

        var caught = await Should.ThrowAsync<Exception>(
            () => behaviour.Handle(new RenameThing("chair"), CancellationToken.None, () => throw thrown));

        caught.ShouldBeSameAs(thrown);
        _logger.Entries().ShouldBeEmpty();
    }

    [Fact]
    public async Task Handle_WhenCanceledByTheCaller_RethrowsWithoutLogging()
    {
        var behaviour = new UnhandledExceptionBehaviour<RenameThing, string>(_logger.Object);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(
            () => behaviour.Handle(new RenameThing("chair"), cancellation.Token, () => throw new OperationCanceledException(cancellation.Token)));

        _logger.Entries().ShouldBeEmpty();
    }

    [Fact]
    public async Task Handle_WhenCanceledWithoutTheCallerAsking_LogsError()
    {
        var behaviour = new UnhandledExceptionBehaviour<RenameThing, string>(_logger.Object);
        var thrown = new TaskCanceledException("The request timed out.");

        await Should.ThrowAsync<TaskCanceledException>(
            () => behaviour.Handle(new RenameThing("chair"), CancellationToken.None, () => throw thrown));

        _logger.Entries().ShouldHaveSingleItem().Level.ShouldBe(LogLevel.Error);
    }

    [Fact]
    public async Task Handle_WhenNextSucceeds_ReturnsItsResultWithoutLogging()
    {
        var behaviour = new UnhandledExceptionBehaviour<RenameThing, string>(_logger.Object);

        var result = await behaviour.Handle(new RenameThing("chair"), CancellationToken.None, () => Task.FromResult("renamed"));

        result.ShouldBe("renamed");
        _logger.Entries().ShouldBeEmpty();
    }
}
