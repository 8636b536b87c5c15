using CleanBackend.Domain.Assets;

namespace CleanBackend.Domain.UnitTests.Assets;

public class AssetFormatsTests
{
    [Fact]
    public void Limits_AreTenMebibytesForImagesAndFiftyForModels()
    {
        AssetFormats.MaxImageBytes.ShouldBe(10_485_760L);
        AssetFormats.MaxModelBytes.ShouldBe(52_428_800L);
    }

    [Theory]
    [InlineData(AssetFormat.Glb, false)]
    [InlineData(AssetFormat.Obj, false)]
    [InlineData(AssetFormat.Mtl, false)]
    [InlineData(AssetFormat.Ply, false)]
    [InlineData(AssetFormat.Png, true)]
    [InlineData(AssetFormat.Jpg, true)]
    [InlineData(AssetFormat.Webp, true)]
    public void IsImage_IsTrueOnlyForPngJpgAndWebp(AssetFormat format, bool expected)
    {
        format.IsImage().ShouldBe(expected);
    }

    [Theory]
    [InlineData(AssetFormat.Glb, true)]
    [InlineData(AssetFormat.Obj, true)]
    [InlineData(AssetFormat.Mtl, false)]
    [InlineData(AssetFormat.Ply, true)]
    [InlineData(AssetFormat.Png, false)]
    [InlineData(AssetFormat.Jpg, false)]
    [InlineData(AssetFormat.Webp, false)]
    public void IsGeneratable_IsTrueOnlyForGlbObjAndPly(AssetFormat format, bool expected)
    {
        format.IsGeneratable().ShouldBe(expected);
    }

    [Theory]
    [InlineData(AssetFormat.Glb, AssetFormats.MaxModelBytes)]
    [InlineData(AssetFormat.Obj, AssetFormats.MaxModelBytes)]
    [InlineData(AssetFormat.Mtl, AssetFormats.MaxModelBytes)]
    [InlineData(AssetFormat.Ply, AssetFormats.MaxModelBytes)]
    [InlineData(AssetFormat.Png, AssetFormats.MaxImageBytes)]
    [InlineData(AssetFormat.Jpg, AssetFormats.MaxImageBytes)]
    [InlineData(AssetFormat.Webp, AssetFormats.MaxImageBytes)]
    public void MaxBytes_IsImageLimitForImagesAndModelLimitOtherwise(AssetFormat format, long expected)
    {
        format.MaxBytes().ShouldBe(expected);
    }

    [Theory]
    [InlineData(AssetFormat.Glb, "glb")]
    [InlineData(AssetFormat.Obj, "obj")]
    [InlineData(AssetFormat.Mtl, "mtl")]
    [InlineData(AssetFormat.Ply, "ply")]
    [InlineData(AssetFormat.Png, "png")]
    [InlineData(AssetFormat.Jpg, "jpg")]
    [InlineData(AssetFormat.Webp, "webp")]
    public void Extension_IsLowerCaseNameWithoutDot(AssetFormat format, string expected)
    {
        format.Extension().ShouldBe(expected);
    }

    [Theory]
    [InlineData(AssetFormat.Glb, "model/gltf-binary")]
    [InlineData(AssetFormat.Obj, "model/obj")]
    [InlineData(AssetFormat.Mtl, "model/mtl")]
    [InlineData(AssetFormat.Ply, "application/ply")]
    [InlineData(AssetFormat.Png, "image/png")]
    [InlineData(AssetFormat.Jpg, "image/jpeg")]
    [InlineData(AssetFormat.Webp, "image/webp")]
    public void ContentType_IsTheMediaTypeOfTheFormat(AssetFormat format, string expected)
    {
        format.ContentType().ShouldBe(expected);
    }

    [Fact]
    public void ContentType_OfUndefinedFormat_IsOctetStream()
    {
        ((AssetFormat)99).ContentType().ShouldBe("application/octet-stream");
    }

    [Fact]
    public void EveryDefinedFormat_HasAnExtensionThatParsesBackToIt()
    {
        foreach (var format in Enum.GetValues<AssetFormat>())
        {
            AssetFormats.TryParse(format.Extension(), out var parsed).ShouldBeTrue();
            parsed.ShouldBe(format);
        }
    }

    [Theory]
    [InlineData("glb", AssetFormat.Glb)]
    [InlineData("obj", AssetFormat.Obj)]
    [InlineData("mtl", AssetFormat.Mtl)]
    [InlineData("ply", AssetFormat.Ply)]
    [InlineData("png", AssetFormat.Png)]
    [InlineData("jpg", AssetFormat.Jpg)]
    [InlineData("webp", AssetFormat.Webp)]
    [InlineData("jpeg", AssetFormat.Jpg)]
    [InlineData("JPEG", AssetFormat.Jpg)]
    [InlineData(".jpeg", AssetFormat.Jpg)]
    [InlineData(" Jpeg ", AssetFormat.Jpg)]
    [InlineData("GLB", AssetFormat.Glb)]
    [InlineData("Png", AssetFormat.Png)]
    [InlineData(".glb", AssetFormat.Glb)]
    [InlineData("  .obj  ", AssetFormat.Obj)]
    [InlineData("\t.WEBP\n", AssetFormat.Webp)]
    public void TryParse_AcceptsKnownNamesCaseInsensitivelyWithOptionalDot(string value, AssetFormat expected)
    {
        AssetFormats.TryParse(value, out var format).ShouldBeTrue();

        format.ShouldBe(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(".")]
    [InlineData(" . ")]
    public void TryParse_WhenBlank_ReturnsFalseAndDefault(string? value)
    {
        AssetFormats.TryParse(value, out var format).ShouldBeFalse();

        format.ShouldBe(default);
    }

    [Theory]
    [InlineData("gltf")]
    [InlineData("fbx")]
    [InlineData("usdz")]
    [InlineData("gif")]
    [InlineData("jpe")]
    [InlineData("model.glb")]
    [InlineData("glb.")]
    [InlineData("g lb")]
    public void TryParse_WhenUnknownName_ReturnsFalse(string value)
    {
        AssetFormats.TryParse(value, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("6")]
    [InlineData("7")]
    [InlineData("99")]
    [InlineData("-1")]
    [InlineData("+2")]
    [InlineData(" 3 ")]
    [InlineData(".4")]
    public void TryParse_WhenNumber_ReturnsFalse(string value)
    {
        AssetFormats.TryParse(value, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("glb,obj")]
    [InlineData("png, glb")]
    [InlineData("obj,mtl")]
    [InlineData("1")]
    [InlineData("99")]
    [InlineData("-1")]
    public void TryParse_RefusesListsAndNumbers_AndLeavesTheDefault(string value)
    {
        AssetFormats.TryParse(value, out var format).ShouldBeFalse();

        format.ShouldBe(default);
    }
}
