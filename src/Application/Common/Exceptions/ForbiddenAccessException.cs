namespace CleanBackend.Application.Common.Exceptions;

/// <summary>The caller is known but not allowed to do this (403).</summary>
public class ForbiddenAccessException : Exception
{
    public ForbiddenAccessException()
        : base("Access denied")
    {
    }

    public ForbiddenAccessException(string message)
        : base(message)
    {
    }

    public ForbiddenAccessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
