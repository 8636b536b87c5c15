using CleanBackend.Application.Common.Behaviours;
using CleanBackend.Application.Common.Interfaces;
using Microsoft.Extensions.Logging;
using Moq;

namespace CleanBackend.Application.UnitTests.Common.Behaviours;

public sealed record SignInCommand(string Email, string Password);

public class LoggingBehaviourTests
{
    private const string Email = "ada@example.com";
    private const string Password = "correct horse battery staple";
    private static readonly Guid UserId = Guid.Parse("0197a1b2-0000-7000-8000-000000000002");

    private readonly Mock<ILogger<LoggingBehaviour<SignInCommand, string>>> _logger = LoggerMock.Create<LoggingBehaviour<SignInCommand, string>>();
    private readonly Mock<IUser> _user = new();

    public LoggingBehaviourTests()
    {
        _user.Setup(u => u.Id).Returns(UserId);
    }

    [Fact]
    public async Task Handle_LogsRequestNameAndUserAtDebug()
    {
        var behaviour = new LoggingBehaviour<SignInCommand, string>(_logger.Object, _user.Object);

        await behaviour.Handle(new SignInCommand(Email, Password), CancellationToken.None, () => Task.FromResult("token"));

        _logger.Verify(
            l => l.Log(LogLevel.Debug, It.IsAny<EventId>(), It.IsAny<It.IsAnyType>(), It.IsAny<Exception?>(), It.IsAny<Func<It.IsAnyType, Exception?, string>>()),
            Times.Once);
        var entry = _logger.Entries().ShouldHaveSingleItem();
        entry.Message.ShouldBe($"Handling SignInCommand for user {UserId}");
        entry.Exception.ShouldBeNull();
    }

    [Fact]
    public async Task Handle_NeverLogsTheRequestsPropertyValues()
    {
        var behaviour = new LoggingBehaviour<SignInCommand, string>(_logger.Object, _user.Object);

        await behaviour.Handle(new SignInCommand(Email, Password), CancellationToken.None, () => Task.FromResult("token"));

        var entries = _logger.Entries();
        entries.ShouldNotBeEmpty();
        foreach (var entry in entries)
        {
            entry.Message.ShouldNotContain(Password);
            entry.Message.ShouldNotContain(Email);
            foreach (var (key, value) in entry.State)
            {
                var text = value?.ToString() ?? string.Empty;
                text.ShouldNotContain(Password, customMessage: $"state value '{key}'");
                text.ShouldNotContain(Email, customMessage: $"state value '{key}'");
                value.ShouldNotBeOfType<SignInCommand>();
            }
        }
    }

    [Fact]
    public async Task Handle_CallsNextOnceAndReturnsItsResult()
    {
        var behaviour = new LoggingBehaviour<SignInCommand, string>(_logger.Object, _user.Object);
        var calls = 0;

        var result = await behaviour.Handle(new SignInCommand(Email, Password), CancellationToken.None, () =>
        {
            calls++;
            return Task.FromResult("token");
        });

        result.ShouldBe("token");
        calls.ShouldBe(1);
    }

    [Fact]
    public async Task Handle_WhenCallerIsAnonymous_StillCallsNext()
    {
        _user.Setup(u => u.Id).Returns((Guid?)null);
        var behaviour = new LoggingBehaviour<SignInCommand, string>(_logger.Object, _user.Object);

        var result = await behaviour.Handle(new SignInCommand(Email, Password), CancellationToken.None, () => Task.FromResult("token"));

        result.ShouldBe("token");
        _logger.Entries().ShouldHaveSingleItem().Message.ShouldBe("Handling SignInCommand for user (null)");
    }
}
