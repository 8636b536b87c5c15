namespace CleanBackend.Domain.Jobs;

public enum JobStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Canceled,
}
