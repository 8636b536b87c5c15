using System.Globalization;
using System.Text;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;
using SkiaSharp;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

/// <summary>The built-in generator given images: every format written, closed, repeatable; clear failures.</summary>
public sealed class ImageGenerationTests : ImageTestBase
{
    public static TheoryData<string, GenerationQuality> Images => new()
    {
        { "square with alpha", GenerationQuality.Draft },
        { "disc on white", GenerationQuality.Standard },
        { "L with alpha", GenerationQuality.Standard },
        { "mug jpg", GenerationQuality.Draft },
        { "photo jpg", GenerationQuality.Standard },
        { "photo webp", GenerationQuality.Draft },
        { "two views", GenerationQuality.Standard },
        { "two views", GenerationQuality.Draft },
    };

    internal static byte[][] Named(string name)
    {
        var (front, right) = TestImages.TwoViews();
        return name switch
        {
            "square with alpha" => [TestImages.Square(transparent: true)],
            "disc on white" => [TestImages.Disc(transparent: false)],
            "L with alpha" => [TestImages.LShape(transparent: true)],
            "mug jpg" => [TestImages.Mug(SKEncodedImageFormat.Jpeg)],
            "photo jpg" => [TestImages.PhotoLike()],
            "photo webp" => [TestImages.PhotoLike(SKEncodedImageFormat.Webp)],
            _ => [front, right],
        };
    }

    [Theory]
    [MemberData(nameof(Images))]
    public async Task Generate_FromImages_WritesEveryFormatWithAWatertightStl(string images, GenerationQuality quality)
    {
        var request = ImageRequest(Named(images), quality: quality);

        var files = await GenerateBytesAsync(request);

        files.Keys.Order(StringComparer.Ordinal).ShouldBe(["model.glb", "model.mtl", "model.obj", "model.ply", "model.stl", "preview.png"]);
        var triangles = Watertight.ReadStl(files["model.stl"]);
        Watertight.Problem(triangles).ShouldBeNull();
        var expected = ImageModel.Triangles(null, quality);
        triangles.Count.ShouldBeInRange((int)(expected * 0.9), (int)(expected * 1.1));
        triangles.Count.ShouldBe(MeshOf(Named(images), quality: quality).TriangleCount);
    }

    [Theory]
    [InlineData("photo jpg")]
    [InlineData("two views")]
    public async Task Generate_TheSameImagesTwice_GivesTheSameBytesInEveryFile(string images)
    {
        var first = await GenerateBytesAsync(ImageRequest(Named(images), targetPolycount: 4_000));
        var second = await GenerateBytesAsync(ImageRequest(Named(images), targetPolycount: 4_000));

        second.Keys.ShouldBe(first.Keys);
        foreach (var (name, bytes) in first)
        {
            second[name].ShouldBe(bytes, name);
        }
    }

    [Fact]
    public async Task Generate_WithImages_IgnoresThePromptAndTheSeed()
    {
        var plain = await GenerateBytesAsync(ImageRequest(Named("mug jpg")));
        var prompted = await GenerateBytesAsync(ImageRequest(Named("mug jpg"), prompt: "a red cube") with { Seed = 7 });

        prompted["model.glb"].ShouldBe(plain["model.glb"]);
        prompted["model.stl"].ShouldBe(plain["model.stl"]);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(20_000)]
    public async Task Generate_WithATarget_WritesAboutThatManyTriangles(int target)
    {
        var files = await GenerateBytesAsync(ImageRequest(Named("two views"), targetPolycount: target, formats: [AssetFormat.Stl]));

        Watertight.ReadStl(files["model.stl"]).Count.ShouldBeInRange((int)(target * 0.9), (int)(target * 1.1));
    }

    [Fact]
    public async Task Generate_ReportsProgressToTheEnd()
    {
        var progress = new RecordingProgress();

        using var output = await Server.GenerateAsync(ImageRequest(Named("square with alpha"), formats: [AssetFormat.Glb]), progress, CancellationToken.None);

        progress.Values.ShouldBe(progress.Values.Order());
        progress.Values[^1].ShouldBe(100);
    }

    [Fact]
    public async Task Generate_WithQuadTopology_WritesTheSidesAsQuadsInObj()
    {
        var request = ImageRequest(Named("two views"), targetPolycount: 1_000, formats: [AssetFormat.Obj, AssetFormat.Glb], topology: MeshTopology.Quad);

        var files = await GenerateBytesAsync(request);

        var faces = ObjFaces(files["model.obj"]);
        var quads = faces.Count(f => f.Length == 4);
        var triangles = faces.Count(f => f.Length == 3);
        (quads + triangles).ShouldBe(faces.Count);
        var mesh = MeshOf(Named("two views"), 1_000);
        ((2 * quads) + triangles).ShouldBe(mesh.TriangleCount);
        quads.ShouldBe(mesh.Parts.Sum(p => p.Geometry.Quads.Count));
        quads.ShouldBeGreaterThan(triangles);

        // glb stays triangles: the same file as with triangle topology.
        var triangleFiles = await GenerateBytesAsync(request with { Topology = MeshTopology.Triangle });
        files["model.glb"].ShouldBe(triangleFiles["model.glb"]);
        ObjFaces(triangleFiles["model.obj"]).ShouldAllBe(f => f.Length == 3);
    }

    [Fact]
    public async Task Generate_ATextPromptWithQuadTopology_WritesTheCubesFacesAsQuads()
    {
        var files = await GenerateBytesAsync(Request("a red cube", formats: [AssetFormat.Obj]) with { Topology = MeshTopology.Quad });

        var faces = ObjFaces(files["model.obj"]);
        faces.Count.ShouldBe(6);
        faces.ShouldAllBe(f => f.Length == 4);
    }

    [Fact]
    public async Task Generate_AnImageThatCannotBeRead_FailsWithAClearMessage()
    {
        var failure = await Should.ThrowAsync<ModelServerException>(
            () => Server.GenerateAsync(ImageRequest([TestImages.Square(transparent: true), "not an image"u8.ToArray()]), new RecordingProgress(), CancellationToken.None));

        failure.Message.ShouldBe("Image 2 cannot be read: it is not a png, jpg or webp image.");
        Directory.Exists(WorkRoot).ShouldBeFalse();
    }

    [Fact]
    public async Task Generate_AnImageOverThePixelBudget_FailsBeforeDecodingIt()
    {
        var failure = await Should.ThrowAsync<ModelServerException>(
            () => Server.GenerateAsync(ImageRequest([TestImages.PngDeclaring(50_000, 50_000)]), new RecordingProgress(), CancellationToken.None));

        failure.Message.ShouldBe("Image 1 is refused: The image declares 50000×50000 pixels; at most 40 megapixels and 16384 pixels a side are accepted.");
    }

    [Fact]
    public async Task Generate_AnImageWithNoObject_FailsWithAClearMessage()
    {
        var failure = await Should.ThrowAsync<ModelServerException>(
            () => Server.GenerateAsync(ImageRequest([TestImages.Blank()]), new RecordingProgress(), CancellationToken.None));

        failure.Message.ShouldBe("Image 1 shows no object: nothing stands out from its background. Use a plain background or a transparent one.");
    }

    [Fact]
    public async Task Generate_MoreThanFourImages_FailsWithAClearMessage()
    {
        var square = TestImages.Square(transparent: true);

        var failure = await Should.ThrowAsync<ModelServerException>(
            () => Server.GenerateAsync(ImageRequest([square, square, square, square, square]), new RecordingProgress(), CancellationToken.None));

        failure.Message.ShouldBe("The built-in generator takes at most 4 images of one object.");
    }

    [Fact]
    public async Task Generate_AnImageStorageCannotRead_FailsWithAClearMessage()
    {
        var request = ImageRequest([TestImages.Square(transparent: true)]);
        var unreadable = request with { Images = [request.Images[0] with { OpenAsync = _ => throw new FileNotFoundException("gone") }] };

        var failure = await Should.ThrowAsync<ModelServerException>(() => Server.GenerateAsync(unreadable, new RecordingProgress(), CancellationToken.None));

        failure.Message.ShouldBe("Image 1 could not be read from storage.");
    }

    [Fact]
    public async Task Generate_AnImageLargerThanAnyUpload_IsNotReadToItsEnd()
    {
        var request = ImageRequest([new byte[ImageDecoder.MaxEncodedBytes + 1]]);

        var failure = await Should.ThrowAsync<ModelServerException>(() => Server.GenerateAsync(request, new RecordingProgress(), CancellationToken.None));

        failure.Message.ShouldBe("Image 1 is larger than 32 MB.");
    }

    [Fact]
    public async Task Watertight_FailsAnOpenMeshAndOneWithAFlippedTriangle()
    {
        var triangles = Watertight.ReadStl((await GenerateBytesAsync(ImageRequest(Named("mug jpg"), formats: [AssetFormat.Stl])))["model.stl"]);
        Watertight.Problem(triangles).ShouldBeNull();

        var open = triangles.Where((_, i) => i != triangles.Count / 2).ToList();
        var flipped = triangles.Select((t, i) => i == triangles.Count / 3 ? (t.A, t.C, t.B) : t).ToList();
        var inside = triangles.Select(t => (t.A, t.C, t.B)).ToList();

        Watertight.Problem(open).ShouldNotBeNull().ShouldContain("one face only");
        Watertight.Problem(flipped).ShouldNotBeNull().ShouldContain("inconsistent orientation");
        Watertight.Problem(inside).ShouldNotBeNull().ShouldContain("faces point inwards");
    }

    /// <summary>The vertex numbers of each face line of an obj.</summary>
    private static List<int[]> ObjFaces(byte[] obj) =>
        [
            .. Encoding.ASCII.GetString(obj).Split('\n')
                .Where(l => l.StartsWith("f ", StringComparison.Ordinal))
                .Select(l => l.Split(' ')[1..].Select(c => int.Parse(c.Split('/')[0], CultureInfo.InvariantCulture)).ToArray()),
        ];
}
