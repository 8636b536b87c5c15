namespace CleanBackend.Application.Common.Exceptions;

/// <summary>A model file that cannot be read (malformed, unsupported or beyond the reading limits); the message says why, fit to show its owner.</summary>
public class UnreadableModelException : Exception
{
    public UnreadableModelException()
        : base("The model cannot be read.")
    {
    }

    public UnreadableModelException(string message)
        : base(message)
    {
    }

    public UnreadableModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
