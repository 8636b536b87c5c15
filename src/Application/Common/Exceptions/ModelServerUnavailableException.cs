namespace CleanBackend.Application.Common.Exceptions;

/// <summary>
/// The model server is known to be unavailable for now (calls to it are paused after repeated failures): the job is
/// not at fault and may be tried again once <see cref="RetryAfter"/> has passed.
/// </summary>
public sealed class ModelServerUnavailableException : ModelServerException
{
    public ModelServerUnavailableException()
        : this("The model server is unavailable.", TimeSpan.Zero, null)
    {
    }

    public ModelServerUnavailableException(string message)
        : this(message, TimeSpan.Zero, null)
    {
    }

    public ModelServerUnavailableException(string message, Exception innerException)
        : this(message, TimeSpan.Zero, innerException)
    {
    }

    public ModelServerUnavailableException(string message, TimeSpan retryAfter, Exception? innerException)
        : base(message, innerException!)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long until calls to the model server resume.</summary>
    public TimeSpan RetryAfter { get; }
}
