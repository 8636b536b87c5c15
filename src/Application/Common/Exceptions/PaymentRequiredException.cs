namespace CleanBackend.Application.Common.Exceptions;

/// <summary>The caller has too few credits for what they asked (402); the message says what to do.</summary>
public class PaymentRequiredException : Exception
{
    public PaymentRequiredException()
        : base("Not enough credits.")
    {
    }

    public PaymentRequiredException(string message)
        : base(message)
    {
    }

    public PaymentRequiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
