using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.Assets;

/// <summary>A stored file of a user: an upload or an output of a generation job.</summary>
public class Asset : BaseEntity
{
    public const int FileNameMaxLength = 255;

    private Asset()
    {
        FileName = string.Empty;
        Sha256 = string.Empty;
        StorageKey = string.Empty;
    }

    public Asset(Guid userId, Guid? jobId, AssetFormat format, string fileName, long sizeBytes, string sha256, string storageKey, DateTime now)
    {
        UserId = Guard.NotEmpty(userId, nameof(userId));
        JobId = jobId;
        Format = format;
        FileName = ValidFileName(fileName);
        if (sizeBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeBytes), "An asset cannot be empty.");
        }

        if (sizeBytes > format.MaxBytes())
        {
            throw new ArgumentOutOfRangeException(nameof(sizeBytes), $"A {format.Extension()} asset can be at most {format.MaxBytes()} bytes.");
        }

        SizeBytes = sizeBytes;
        Sha256 = ValidSha256(sha256);
        StorageKey = Guard.NotBlank(storageKey, nameof(storageKey), 500);
        CreatedAt = now;
    }

    public Guid UserId { get; private set; }

    public Guid? JobId { get; private set; }

    public AssetFormat Format { get; private set; }

    public string FileName { get; private set; }

    public long SizeBytes { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the content; also the download's ETag.</summary>
    public string Sha256 { get; private set; }

    /// <summary>Where the file storage keeps the bytes; never derived from user input.</summary>
    public string StorageKey { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string ContentType => Format.ContentType();

    private static string ValidFileName(string fileName)
    {
        var name = Guard.NotBlank(fileName, nameof(fileName), FileNameMaxLength);
        if (name.IndexOfAny(['/', '\\', '\0']) >= 0 || name is "." or "..")
        {
            throw new ArgumentException("A file name cannot contain a path.", nameof(fileName));
        }

        return name;
    }

    private static string ValidSha256(string sha256)
    {
        if (sha256 is null || sha256.Length != 64 || !sha256.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)))
        {
            throw new ArgumentException("A SHA-256 is 64 lower-case hex digits.", nameof(sha256));
        }

        return sha256;
    }
}
