namespace CleanBackend.Application.Common.Interfaces;

/// <summary>Where asset bytes live. Keys are chosen by the storage, never built from user input.</summary>
public interface IFileStorage
{
    /// <summary>Writes the whole stream atomically and returns its key, size and SHA-256.</summary>
    Task<StoredFile> SaveAsync(Stream content, string extension, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Opens a stored file for reading, or returns null when it is gone.</summary>
    Stream? OpenRead(string key);

    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Whether the storage can be written to now (for health checks).</summary>
    Task<bool> IsWritableAsync(CancellationToken cancellationToken);
}

public sealed record StoredFile(string Key, long SizeBytes, string Sha256);
