namespace CleanBackend.Application.Common.Exceptions;

/// <summary>The thing asked for existed but is no longer usable, e.g. an expired code (410).</summary>
public class GoneException : Exception
{
    public GoneException()
        : base("The resource is no longer available.")
    {
    }

    public GoneException(string message)
        : base(message)
    {
    }

    public GoneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
