namespace CleanBackend.Domain.Jobs;

public enum GenerationQuality
{
    Draft,
    Standard,
}
