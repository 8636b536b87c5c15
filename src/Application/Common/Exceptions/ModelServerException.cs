namespace CleanBackend.Application.Common.Exceptions;

/// <summary>The model server could not make the model; the message is fit to show the job's owner.</summary>
public class ModelServerException : Exception
{
    public ModelServerException()
        : base("The model server failed.")
    {
    }

    public ModelServerException(string message)
        : base(message)
    {
    }

    public ModelServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
