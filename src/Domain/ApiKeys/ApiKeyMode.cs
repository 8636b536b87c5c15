namespace CleanBackend.Domain.ApiKeys;

/// <summary>Live keys work like the owner's session; test keys run every job on the built-in generator at no cost.</summary>
public enum ApiKeyMode
{
    Live,
    Test,
}
