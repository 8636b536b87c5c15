namespace CleanBackend.WebApi.Infrastructure;

/// <summary>A well-signed access token that may no longer be used; the message says why (it is the 401's error).</summary>
public sealed class AccessTokenRevokedException : Exception
{
    /// <summary>Where the reason waits for the 401 answer in <see cref="HttpContext.Items"/>.</summary>
    public const string ItemKey = "access-token-problem";

    public AccessTokenRevokedException()
    {
    }

    public AccessTokenRevokedException(string message)
        : base(message)
    {
    }

    public AccessTokenRevokedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
