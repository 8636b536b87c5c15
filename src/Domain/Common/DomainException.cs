namespace CleanBackend.Domain.Common;

/// <summary>A rule of the domain was broken by a request that is well formed but not allowed in the current state.</summary>
public class DomainException : Exception
{
    public DomainException()
    {
    }

    public DomainException(string message)
        : base(message)
    {
    }

    public DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
