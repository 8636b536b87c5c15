namespace CleanBackend.Application.Common.Exceptions;

/// <summary>The caller must wait before trying again (429 with Retry-After).</summary>
public class TooManyRequestsException : Exception
{
    public TooManyRequestsException()
        : base("Too many requests.")
    {
    }

    public TooManyRequestsException(string message)
        : base(message)
    {
    }

    public TooManyRequestsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TooManyRequestsException(string message, TimeSpan retryAfter)
        : base(message)
    {
        RetryAfter = retryAfter;
    }

    public TimeSpan? RetryAfter { get; }
}
