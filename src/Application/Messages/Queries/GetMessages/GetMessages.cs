using CleanBackend.Application.Messages.Common;

namespace CleanBackend.Application.Messages.Queries.GetMessages;

/// <summary>The messages of one of the caller's chats, oldest first.</summary>
public sealed record GetMessagesQuery(Guid ChatId, int Page = 1, int Limit = PageRequestRules.DefaultLimit)
    : IRequest<PaginatedList<MessageDto>>, IPageRequest;

public sealed class GetMessagesQueryValidator : AbstractValidator<GetMessagesQuery>
{
    public GetMessagesQueryValidator()
    {
        this.AddPageRules();
        RuleFor(x => x.ChatId).NotEmpty().WithMessage("chatId is required.");
    }
}

public sealed class GetMessagesQueryHandler(IApplicationDbContext db, IUser user, IMapper mapper, IAssetUrlSigner signer)
    : IRequestHandler<GetMessagesQuery, PaginatedList<MessageDto>>
{
    public async Task<PaginatedList<MessageDto>> Handle(GetMessagesQuery request, CancellationToken cancellationToken)
    {
        var userId = user.RequiredId();
        if (!await db.Chats.AnyAsync(c => c.Id == request.ChatId && c.UserId == userId, cancellationToken))
        {
            throw NotFoundException.For("Chat");
        }

        var page = await db.Messages.AsNoTracking()
            .Where(m => m.ChatId == request.ChatId)
            .OrderBy(m => m.CreatedAt)
            .ThenBy(m => m.Id)
            .ProjectTo<MessageDto>(mapper.ConfigurationProvider)
            .ToPaginatedListAsync(request.Page, request.Limit, cancellationToken);
        var items = await page.Items.WithSignedUrlsAsync(db, signer, cancellationToken);
        return new PaginatedList<MessageDto>(items, page.Page, page.Limit, page.Total);
    }
}
