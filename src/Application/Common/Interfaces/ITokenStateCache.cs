namespace CleanBackend.Application.Common.Interfaces;

/// <summary>
/// What access-token checks remember about users and sessions, so a request costs no database query. Anything
/// that ends sessions or changes a user's standing tells it, and tokens stop working on the next request.
/// </summary>
public interface ITokenStateCache
{
    void UserChanged(Guid userId);

    void SessionsEnded(IEnumerable<Guid> sessionIds);
}
