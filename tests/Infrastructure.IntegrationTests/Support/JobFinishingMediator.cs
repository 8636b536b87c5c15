using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Application.Jobs.Common;
using MediatR;
using Moq;

namespace CleanBackend.Infrastructure.IntegrationTests.Support;

/// <summary>A mediator whose <see cref="JobFinishing"/> reaches the application's real handler on the given unit of work.</summary>
public static class JobFinishingMediator
{
    public static Mock<IMediator> For(IApplicationDbContext db)
    {
        var mediator = new Mock<IMediator>();
        HandleFinishing(mediator, db);
        return mediator;
    }

    public static void HandleFinishing(Mock<IMediator> mediator, IApplicationDbContext db) =>
        mediator.Setup(m => m.Publish(It.IsAny<JobFinishing>(), It.IsAny<CancellationToken>()))
            .Returns<JobFinishing, CancellationToken>(new ReplyInChatWhenJobFinishes(db).Handle);
}
