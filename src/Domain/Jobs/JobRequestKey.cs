using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Jobs;

/// <summary>An Idempotency-Key a user sent with a generation request, and the job it created: a retry gets that job back.</summary>
public class JobRequestKey
{
    public const int KeyMaxLength = 100;

    private JobRequestKey()
    {
        Key = string.Empty;
    }

    public JobRequestKey(Guid userId, string key, Guid jobId, DateTime now)
    {
        UserId = Guard.NotEmpty(userId, nameof(userId));
        Key = Guard.NotBlank(key, nameof(key), KeyMaxLength);
        JobId = Guard.NotEmpty(jobId, nameof(jobId));
        CreatedAt = now;
    }

    public Guid UserId { get; private set; }

    public string Key { get; private set; }

    public Guid JobId { get; private set; }

    public DateTime CreatedAt { get; private set; }
}
