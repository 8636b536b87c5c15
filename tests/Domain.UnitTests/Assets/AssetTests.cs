using CleanBackend.Domain.Assets;

namespace CleanBackend.Domain.UnitTests.Assets;

public class AssetTests
{
    private const string Sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private const string StorageKey = "users/0197a1b2/assets/0197a1b3.glb";

    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Guid UserId = Guid.Parse("0197a1b2-0000-7000-8000-000000000001");
    private static readonly Guid JobId = Guid.Parse("0197a1b2-0000-7000-8000-000000000003");

    private static Asset NewAsset(
        AssetFormat format = AssetFormat.Glb,
        string fileName = "castle.glb",
        long sizeBytes = 1024,
        string sha256 = Sha,
        string storageKey = StorageKey,
        Guid? userId = null) =>
        new(userId ?? UserId, JobId, format, fileName, sizeBytes, sha256, storageKey, Now);

    [Fact]
    public void Constructor_SetsEverything()
    {
        var asset = new Asset(UserId, JobId, AssetFormat.Glb, "castle.glb", 1024, Sha, StorageKey, Now);

        asset.Id.ShouldNotBe(Guid.Empty);
        asset.Id.Version.ShouldBe(7);
        asset.UserId.ShouldBe(UserId);
        asset.JobId.ShouldBe(JobId);
        asset.Format.ShouldBe(AssetFormat.Glb);
        asset.FileName.ShouldBe("castle.glb");
        asset.SizeBytes.ShouldBe(1024);
        asset.Sha256.ShouldBe(Sha);
        asset.StorageKey.ShouldBe(StorageKey);
        asset.CreatedAt.ShouldBe(Now);
        asset.ContentType.ShouldBe("model/gltf-binary");
    }

    [Fact]
    public void Constructor_ForUpload_HasNoJob()
    {
        var asset = new Asset(UserId, null, AssetFormat.Png, "ref.png", 1024, Sha, StorageKey, Now);

        asset.JobId.ShouldBeNull();
    }

    [Fact]
    public void Constructor_WhenUserIdEmpty_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => NewAsset(userId: Guid.Empty));

        ex.ParamName.ShouldBe("userId");
    }

    [Theory]
    [InlineData(AssetFormat.Glb, "model/gltf-binary")]
    [InlineData(AssetFormat.Obj, "model/obj")]
    [InlineData(AssetFormat.Mtl, "model/mtl")]
    [InlineData(AssetFormat.Ply, "application/ply")]
    [InlineData(AssetFormat.Png, "image/png")]
    [InlineData(AssetFormat.Jpg, "image/jpeg")]
    [InlineData(AssetFormat.Webp, "image/webp")]
    public void ContentType_FollowsTheFormat(AssetFormat format, string expected)
    {
        var asset = NewAsset(format: format);

        asset.ContentType.ShouldBe(expected);
    }

    // ---- size ----

    [Theory]
    [InlineData(AssetFormat.Glb, AssetFormats.MaxModelBytes)]
    [InlineData(AssetFormat.Obj, AssetFormats.MaxModelBytes)]
    [InlineData(AssetFormat.Mtl, AssetFormats.MaxModelBytes)]
    [InlineData(AssetFormat.Ply, AssetFormats.MaxModelBytes)]
    [InlineData(AssetFormat.Png, AssetFormats.MaxImageBytes)]
    [InlineData(AssetFormat.Jpg, AssetFormats.MaxImageBytes)]
    [InlineData(AssetFormat.Webp, AssetFormats.MaxImageBytes)]
    public void Constructor_AcceptsSizeUpToTheFormatsLimit(AssetFormat format, long limit)
    {
        var asset = NewAsset(format: format, sizeBytes: limit);

        asset.SizeBytes.ShouldBe(limit);
    }

    [Fact]
    public void Constructor_AcceptsOneByte()
    {
        var asset = NewAsset(sizeBytes: 1);

        asset.SizeBytes.ShouldBe(1);
    }

    [Theory]
    [InlineData(AssetFormat.Glb, AssetFormats.MaxModelBytes + 1, "A glb asset can be at most 52428800 bytes.")]
    [InlineData(AssetFormat.Obj, AssetFormats.MaxModelBytes + 1, "A obj asset can be at most 52428800 bytes.")]
    [InlineData(AssetFormat.Mtl, AssetFormats.MaxModelBytes + 1, "A mtl asset can be at most 52428800 bytes.")]
    [InlineData(AssetFormat.Ply, AssetFormats.MaxModelBytes + 1, "A ply asset can be at most 52428800 bytes.")]
    [InlineData(AssetFormat.Png, AssetFormats.MaxImageBytes + 1, "A png asset can be at most 10485760 bytes.")]
    [InlineData(AssetFormat.Jpg, AssetFormats.MaxImageBytes + 1, "A jpg asset can be at most 10485760 bytes.")]
    [InlineData(AssetFormat.Webp, AssetFormats.MaxImageBytes + 1, "A webp asset can be at most 10485760 bytes.")]
    public void Constructor_WhenLargerThanTheFormatsLimit_ThrowsArgumentOutOfRangeException(AssetFormat format, long size, string message)
    {
        var ex = Should.Throw<ArgumentOutOfRangeException>(() => NewAsset(format: format, sizeBytes: size));

        ex.ParamName.ShouldBe("sizeBytes");
        ex.Message.ShouldStartWith(message);
    }

    [Fact]
    public void Constructor_WhenImageHasModelSize_ThrowsArgumentOutOfRangeException()
    {
        _ = Should.Throw<ArgumentOutOfRangeException>(() => NewAsset(format: AssetFormat.Png, sizeBytes: 20L * 1024 * 1024));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void Constructor_WhenEmptyOrNegativeSize_ThrowsArgumentOutOfRangeException(long size)
    {
        var ex = Should.Throw<ArgumentOutOfRangeException>(() => NewAsset(sizeBytes: size));

        ex.ParamName.ShouldBe("sizeBytes");
        ex.Message.ShouldStartWith("An asset cannot be empty.");
    }

    // ---- SHA-256 ----

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Constructor_AcceptsLowerCaseHexSha256(string sha256)
    {
        var asset = NewAsset(sha256: sha256);

        asset.Sha256.ShouldBe(sha256);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ba7816bf")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0")]
    [InlineData("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    [InlineData("Ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData(" a7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData(" ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("ba7816bf-8f01-cfea-4141-40de5dae2223b00361a396177a9cb410ff61f200")]
    [InlineData("\u0661a7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Constructor_WhenSha256NotSixtyFourLowerCaseHexDigits_ThrowsArgumentException(string sha256)
    {
        var ex = Should.Throw<ArgumentException>(() => NewAsset(sha256: sha256));

        ex.ParamName.ShouldBe("sha256");
        ex.Message.ShouldStartWith("A SHA-256 is 64 lower-case hex digits.");
    }

    [Fact]
    public void Constructor_WhenSha256Null_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => NewAsset(sha256: null!));

        ex.ParamName.ShouldBe("sha256");
    }

    // ---- file name ----

    [Theory]
    [InlineData("castle.glb")]
    [InlineData("my castle (final).glb")]
    [InlineData("...glb")]
    [InlineData("château.glb")]
    [InlineData("no-extension")]
    public void Constructor_AcceptsPlainFileNames(string fileName)
    {
        var asset = NewAsset(fileName: fileName);

        asset.FileName.ShouldBe(fileName);
    }

    [Fact]
    public void Constructor_TrimsFileName()
    {
        var asset = NewAsset(fileName: "  castle.glb \t");

        asset.FileName.ShouldBe("castle.glb");
    }

    [Fact]
    public void Constructor_AcceptsFileNameOfMaxLength()
    {
        var fileName = new string('f', Asset.FileNameMaxLength - 4) + ".glb";

        var asset = NewAsset(fileName: fileName);

        asset.FileName.ShouldBe(fileName);
        asset.FileName.Length.ShouldBe(255);
    }

    [Fact]
    public void Constructor_WhenFileNameTooLong_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => NewAsset(fileName: new string('f', Asset.FileNameMaxLength + 1)));

        ex.ParamName.ShouldBe("fileName");
        ex.Message.ShouldStartWith("fileName must be at most 255 characters.");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_WhenFileNameBlank_ThrowsArgumentException(string? fileName)
    {
        var ex = Should.Throw<ArgumentException>(() => NewAsset(fileName: fileName!));

        ex.ParamName.ShouldBe("fileName");
        ex.Message.ShouldStartWith("fileName must not be empty.");
    }

    [Theory]
    [InlineData("models/castle.glb")]
    [InlineData("/etc/passwd")]
    [InlineData("../castle.glb")]
    [InlineData("..\\castle.glb")]
    [InlineData("C:\\models\\castle.glb")]
    [InlineData("castle.glb/")]
    [InlineData("castle\0.glb")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(" .. ")]
    public void Constructor_WhenFileNameHasPath_ThrowsArgumentException(string fileName)
    {
        var ex = Should.Throw<ArgumentException>(() => NewAsset(fileName: fileName));

        ex.ParamName.ShouldBe("fileName");
        ex.Message.ShouldStartWith("A file name cannot contain a path.");
    }

    // ---- storage key ----

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_WhenStorageKeyBlank_ThrowsArgumentException(string? storageKey)
    {
        var ex = Should.Throw<ArgumentException>(() => NewAsset(storageKey: storageKey!));

        ex.ParamName.ShouldBe("storageKey");
    }

    [Fact]
    public void Constructor_AcceptsStorageKeyOf500Characters()
    {
        var key = new string('k', 500);

        var asset = NewAsset(storageKey: key);

        asset.StorageKey.ShouldBe(key);
    }

    [Fact]
    public void Constructor_WhenStorageKeyTooLong_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => NewAsset(storageKey: new string('k', 501)));

        ex.ParamName.ShouldBe("storageKey");
        ex.Message.ShouldStartWith("storageKey must be at most 500 characters.");
    }
}
