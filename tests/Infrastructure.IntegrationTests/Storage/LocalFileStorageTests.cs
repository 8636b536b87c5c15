using System.Security.Cryptography;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Infrastructure.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CleanBackend.Infrastructure.IntegrationTests.Storage;

public sealed class LocalFileStorageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cleanbackend-storage-" + Guid.NewGuid().ToString("N"));
    private readonly LocalFileStorage _storage;

    public LocalFileStorageTests()
    {
        _storage = new LocalFileStorage(
            Options.Create(new StorageOptions { AssetsDir = _root }),
            new FakeTimeProvider(new DateTimeOffset(2026, 3, 7, 0, 0, 0, TimeSpan.Zero)));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Save_StoresTheBytesUnderAGeneratedKeyWithSizeAndSha256()
    {
        var bytes = RandomNumberGenerator.GetBytes(200_000);

        var stored = await _storage.SaveAsync(new MemoryStream(bytes), "glb", 1_000_000, CancellationToken.None);

        stored.Key.ShouldMatch(@"^2026/03/[0-9a-f]{32}\.glb$");
        stored.SizeBytes.ShouldBe(200_000);
        stored.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        (await File.ReadAllBytesAsync(Path.Combine(_root, stored.Key))).ShouldBe(bytes);
        LeftoverTemporaryFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task Save_WhenLargerThanTheLimit_ThrowsAndLeavesNothingBehind()
    {
        var bytes = new byte[5000];

        await Should.ThrowAsync<PayloadTooLargeException>(() => _storage.SaveAsync(new MemoryStream(bytes), "png", 4999, CancellationToken.None));

        Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Fact]
    public async Task Save_WhenCanceled_LeavesNothingBehind()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => _storage.SaveAsync(new MemoryStream(new byte[10]), "png", 100, canceled.Token));

        Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("../glb")]
    [InlineData("g/b")]
    [InlineData("")]
    [InlineData("averyverylongext")]
    public async Task Save_RefusesExtensionsThatAreNotPlainWords(string extension)
    {
        await Should.ThrowAsync<ArgumentException>(() => _storage.SaveAsync(new MemoryStream(new byte[1]), extension, 100, CancellationToken.None));
    }

    [Fact]
    public async Task OpenRead_ReturnsTheStoredBytes_AndNullOnceDeleted()
    {
        var stored = await _storage.SaveAsync(new MemoryStream([1, 2, 3]), "ply", 100, CancellationToken.None);

        await using (var stream = _storage.OpenRead(stored.Key))
        {
            stream.ShouldNotBeNull();
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            copy.ToArray().ShouldBe([1, 2, 3]);
        }

        await _storage.DeleteAsync(stored.Key, CancellationToken.None);

        _storage.OpenRead(stored.Key).ShouldBeNull();
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("2026/../../secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData(".tmp/x.part")]
    [InlineData("2026\\03\\x.glb")]
    [InlineData("")]
    public void PathOf_RefusesKeysThatLeaveTheStorageFolder(string key)
    {
        Should.Throw<ArgumentException>(() => _storage.PathOf(key));
    }

    [Fact]
    public async Task IsWritable_IsTrueForAWritableFolder()
    {
        (await _storage.IsWritableAsync(CancellationToken.None)).ShouldBeTrue();
        LeftoverTemporaryFiles().ShouldBeEmpty();
    }

    private IEnumerable<string> LeftoverTemporaryFiles() =>
        Directory.Exists(Path.Combine(_root, ".tmp")) ? Directory.EnumerateFiles(Path.Combine(_root, ".tmp")) : [];
}
