namespace CleanBackend.WebApi.Infrastructure.ApiKeys;

/// <summary>
/// The scope an API key needs to call this action. Actions without one are closed to keys: account, key, webhook,
/// analytics and admin routes need a signed-in session.
/// </summary>
/// <param name="scope">One of <see cref="CleanBackend.Domain.ApiKeys.ApiKeyScopes"/>.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class ApiKeyScopeAttribute(string scope) : Attribute
{
    public string Scope { get; } = scope;
}
