namespace CleanBackend.Infrastructure.Identity;

/// <summary>The claims a request authenticated with an API key carries besides its owner's <c>sub</c>.</summary>
public static class ApiKeyClaims
{
    public const string KeyId = "key_id";

    /// <summary><see cref="LiveMode"/> or <see cref="TestMode"/>.</summary>
    public const string Mode = "key_mode";

    /// <summary>One claim per scope the key was given.</summary>
    public const string Scope = "scope";

    public const string LiveMode = "live";

    public const string TestMode = "test";
}
