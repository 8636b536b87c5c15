namespace CleanBackend.Application.Common.Exceptions;

/// <summary>The request is valid but conflicts with the current state of the resource.</summary>
public class ConflictException : Exception
{
    public ConflictException()
        : base("The request conflicts with the current state.")
    {
    }

    public ConflictException(string message)
        : base(message)
    {
    }

    public ConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
