using CleanBackend.Domain.Assets;

namespace CleanBackend.Infrastructure.ModelServers.Http;

/// <summary>
/// One generation's private temporary folder for the files downloaded from the model server. Disposing it (which
/// <see cref="GenerationOutput"/>'s cleanup does, and every failure path) deletes it with everything in it.
/// </summary>
internal sealed partial class GenerationFolder : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly ILogger _logger;
    private int _disposed;

    private GenerationFolder(string path, ILogger logger)
    {
        Path = path;
        _logger = logger;
    }

    public string Path { get; }

    /// <summary>A new folder under <paramref name="root"/>, or (null) a new one with a random name in the system's temp folder.</summary>
    public static GenerationFolder Create(string? root, ILogger logger)
    {
        // Generated models are the users' data: other accounts on the machine have no business reading them, nor
        // planting a folder of their own under a name this service would use (CreateTempSubdirectory is mkdtemp, 0700).
        if (root is null)
        {
            return new GenerationFolder(Directory.CreateTempSubdirectory("cleanbackend-model-").FullName, logger);
        }

        var path = System.IO.Path.Combine(root, Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(root, OwnerOnly);
            Directory.CreateDirectory(path, OwnerOnly);
        }

        return new GenerationFolder(path, logger);
    }

    /// <summary>Where a file goes; its name must have passed the protocol's name check already.</summary>
    public string PathOf(string fileName)
    {
        var path = System.IO.Path.Combine(Path, fileName);

        // A last line of defence: the name checks should make this impossible.
        return System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) == System.IO.Path.GetFullPath(Path)
            ? path
            : throw new ArgumentException($"'{fileName}' is not a plain file name.", nameof(fileName));
    }

    public GeneratedFile File(string fileName, AssetFormat format)
    {
        var path = PathOf(fileName);
        return new GeneratedFile(fileName, format, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan));
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still open elsewhere; the system's temp cleanup gets it eventually.
            LogCleanupFailed(_logger, Path, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the model server's temporary folder {Folder}: {Error}")]
    private static partial void LogCleanupFailed(ILogger logger, string folder, string error);
}
