namespace CleanBackend.Application.Common.Exceptions;

/// <summary>The caller is not authenticated, or the credentials it sent are not valid.</summary>
public class UnauthorizedException : Exception
{
    public UnauthorizedException()
        : base("Authentication required")
    {
    }

    public UnauthorizedException(string message)
        : base(message)
    {
    }

    public UnauthorizedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
