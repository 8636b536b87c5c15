namespace CleanBackend.Application.Common.Exceptions;

/// <summary>The resource does not exist or belongs to someone else (the two are never told apart).</summary>
public class NotFoundException : Exception
{
    public NotFoundException()
        : base("The resource was not found.")
    {
    }

    public NotFoundException(string message)
        : base(message)
    {
    }

    public NotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static NotFoundException For(string resource) => new($"{resource} not found");
}
