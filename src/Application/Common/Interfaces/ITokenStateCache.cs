namespace CleanBackend.Application.Common.Interfaces;

/// <summary>
/// What access-token and API-key checks remember about users, sessions and keys, so a request costs no database query. Anything
/// that ends sessions or changes a user's standing tells it, and tokens stop working on the next request.
/// </summary>
public interface ITokenStateCache
{
    void UserChanged(Guid userId);

    void SessionsEnded(IEnumerable<Guid> sessionIds);

    /// <summary>Keys (by the hash of their secret) that were revoked: they fail on their next request.</summary>
    void ApiKeysRevoked(IEnumerable<string> secretHashes);
}
