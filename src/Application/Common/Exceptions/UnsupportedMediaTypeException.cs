namespace CleanBackend.Application.Common.Exceptions;

/// <summary>The content is not of a type this operation accepts (415).</summary>
public class UnsupportedMediaTypeException : Exception
{
    public UnsupportedMediaTypeException()
        : base("Unsupported media type")
    {
    }

    public UnsupportedMediaTypeException(string message)
        : base(message)
    {
    }

    public UnsupportedMediaTypeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
