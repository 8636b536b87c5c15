namespace CleanBackend.Application.Common.Exceptions;

/// <summary>The content is larger than the limit for its kind (413).</summary>
public class PayloadTooLargeException : Exception
{
    public PayloadTooLargeException()
        : base("The content is too large.")
    {
    }

    public PayloadTooLargeException(string message)
        : base(message)
    {
    }

    public PayloadTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
