using System.Globalization;
using System.Security.Cryptography;
using CleanBackend.Application.Common.Exceptions;

namespace CleanBackend.Infrastructure.Storage;

/// <summary>
/// Asset files on the local file system under ASSETS_DIR. A file is written to a temporary name, hashed as it
/// streams, and renamed into place only when complete, so a reader never sees half a file.
/// </summary>
public sealed class LocalFileStorage : IFileStorage
{
    private const string TemporaryFolder = ".tmp";
    private const int BufferSize = 81_920;

    private readonly string _root;
    private readonly TimeProvider _clock;

    public LocalFileStorage(IOptions<StorageOptions> options, TimeProvider clock)
    {
        _root = Path.GetFullPath(options.Value.AssetsDir);
        _clock = clock;
    }

    public async Task<StoredFile> SaveAsync(Stream content, string extension, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (string.IsNullOrEmpty(extension) || extension.Length > 10 || !extension.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("An extension is 1 to 10 letters or digits.", nameof(extension));
        }

        var now = _clock.GetUtcNow();
        var key = string.Create(CultureInfo.InvariantCulture, $"{now:yyyy}/{now:MM}/{Guid.CreateVersion7():N}.{extension.ToLowerInvariant()}");
        var temporaryDirectory = Path.Combine(_root, TemporaryFolder);
        Directory.CreateDirectory(temporaryDirectory);
        var temporaryPath = Path.Combine(temporaryDirectory, Guid.NewGuid().ToString("N") + ".part");

        try
        {
            long size = 0;
            string sha256;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            await using (var file = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw new PayloadTooLargeException($"The file is larger than {maxBytes} bytes.");
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            var finalPath = PathOf(key);
            Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
            File.Move(temporaryPath, finalPath);
            return new StoredFile(key, size, sha256);
        }
        finally
        {
            File.Delete(temporaryPath);
        }
    }

    public Stream? OpenRead(string key)
    {
        var path = PathOf(key);
        try
        {
            // Unbuffered: the response copies in large blocks of its own, and a FileStream buffer would only add a copy.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public async Task<bool> IsWritableAsync(CancellationToken cancellationToken)
    {
        try
        {
            var directory = Path.Combine(_root, TemporaryFolder);
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, "probe-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllBytesAsync(probe, [1], cancellationToken);
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Maps a key to its file, refusing any key that would leave the storage folder.</summary>
    public string PathOf(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Contains('\\', StringComparison.Ordinal) || key.Split('/').Any(part => part is "" or "." or ".." || part.StartsWith('.')))
        {
            throw new ArgumentException("Not a storage key.", nameof(key));
        }

        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("Not a storage key.", nameof(key));
        }

        return path;
    }
}
