using CleanBackend.Application.Common.Behaviours;
using CleanBackend.Application.Common.Interfaces;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moq;

namespace CleanBackend.Application.UnitTests.Common.Behaviours;

public sealed record SlowQuery(string Term);

public class PerformanceBehaviourTests
{
    private static readonly Guid UserId = Guid.Parse("0197a1b2-0000-7000-8000-000000000001");

    private readonly Mock<ILogger<PerformanceBehaviour<SlowQuery, string>>> _logger = LoggerMock.Create<PerformanceBehaviour<SlowQuery, string>>();
    private readonly Mock<IUser> _user = new();
    private readonly Mock<IOptions<PerformanceOptions>> _options = new();

    public PerformanceBehaviourTests()
    {
        _user.Setup(u => u.Id).Returns(UserId);
    }

    [Fact]
    public async Task Handle_WhenRequestIsSlowerThanThreshold_LogsWarning()
    {
        var behaviour = CreateBehaviour(thresholdMs: 0);

        var result = await behaviour.Handle(new SlowQuery("chairs"), CancellationToken.None, SlowNext);

        result.ShouldBe("done");
        _logger.Verify(
            l => l.Log(LogLevel.Warning, It.IsAny<EventId>(), It.IsAny<It.IsAnyType>(), It.IsAny<Exception?>(), It.IsAny<Func<It.IsAnyType, Exception?, string>>()),
            Times.Once);
        var entry = _logger.Entries().ShouldHaveSingleItem();
        entry.Message.ShouldStartWith("Slow request: SlowQuery took ");
        entry.Message.ShouldEndWith($" ms for user {UserId}");
    }

    [Fact]
    public async Task Handle_WhenSlowRequestIsAnonymous_LogsWarningWithoutUser()
    {
        _user.Setup(u => u.Id).Returns((Guid?)null);
        var behaviour = CreateBehaviour(thresholdMs: 0);

        await behaviour.Handle(new SlowQuery("chairs"), CancellationToken.None, SlowNext);

        var entry = _logger.Entries().ShouldHaveSingleItem();
        entry.Level.ShouldBe(LogLevel.Warning);
        entry.State.ShouldContain(new KeyValuePair<string, object?>("UserId", null));
    }

    [Fact]
    public async Task Handle_WhenRequestIsFasterThanThreshold_LogsNothing()
    {
        var behaviour = CreateBehaviour(thresholdMs: int.MaxValue);

        var result = await behaviour.Handle(new SlowQuery("chairs"), CancellationToken.None, SlowNext);

        result.ShouldBe("done");
        _logger.Verify(
            l => l.Log(It.IsAny<LogLevel>(), It.IsAny<EventId>(), It.IsAny<It.IsAnyType>(), It.IsAny<Exception?>(), It.IsAny<Func<It.IsAnyType, Exception?, string>>()),
            Times.Never);
    }

    [Fact]
    public async Task Handle_CallsNextOnceAndReturnsItsResult()
    {
        var behaviour = CreateBehaviour(thresholdMs: int.MaxValue);
        var calls = 0;

        var result = await behaviour.Handle(new SlowQuery("chairs"), CancellationToken.None, () =>
        {
            calls++;
            return Task.FromResult("from handler");
        });

        result.ShouldBe("from handler");
        calls.ShouldBe(1);
    }

    private static async Task<string> SlowNext()
    {
        await Task.Delay(20);
        return "done";
    }

    private PerformanceBehaviour<SlowQuery, string> CreateBehaviour(int thresholdMs)
    {
        _options.Setup(o => o.Value).Returns(new PerformanceOptions { SlowRequestThresholdMs = thresholdMs });
        return new PerformanceBehaviour<SlowQuery, string>(_logger.Object, _options.Object, _user.Object);
    }
}
