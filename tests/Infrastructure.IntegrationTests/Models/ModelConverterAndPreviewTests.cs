using System.Buffers.Binary;
using System.Text;
using CleanBackend.Application.Common.Exceptions;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;
using CleanBackend.Infrastructure.Models;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanBackend.Infrastructure.IntegrationTests.Models;

public sealed class ModelConverterAndPreviewTests : BuiltInTestBase
{
    private readonly ModelConverter _converter = new(NullLogger<ModelConverter>.Instance);
    private readonly ModelPreviewRenderer _renderer = new();

    [Fact]
    public async Task ToStl_WritesEveryTriangleOfTheGlb_NamedAfterIt()
    {
        var (mesh, glb) = Model("a house, a tree and a car on the floor");

        using var output = await _converter.ConvertAsync(new MemoryStream(glb), AssetFormat.Stl, "mesh", CancellationToken.None);

        var file = output.Files.ShouldHaveSingleItem();
        (file.FileName, file.Format).ShouldBe(("mesh.stl", AssetFormat.Stl));
        var stl = ReadAll(file.Open);
        BinaryPrimitives.ReadUInt32LittleEndian(stl.AsSpan(80)).ShouldBe((uint)mesh.TriangleCount);
        stl.Length.ShouldBe(84 + (50 * mesh.TriangleCount));
    }

    [Fact]
    public async Task ToObj_WritesTheObjThenItsMtl_WhichTheObjNames()
    {
        var (mesh, glb) = Model("a red cube and a blue sphere");

        using var output = await _converter.ConvertAsync(new MemoryStream(glb), AssetFormat.Obj, "model", CancellationToken.None);

        output.Files.Select(f => (f.FileName, f.Format)).ShouldBe([("model.obj", AssetFormat.Obj), ("model.mtl", AssetFormat.Mtl)]);
        var obj = Encoding.ASCII.GetString(ReadAll(output.Files[0].Open)).Split('\n');
        var mtl = Encoding.ASCII.GetString(ReadAll(output.Files[1].Open)).Split('\n');
        obj.ShouldContain("mtllib model.mtl");
        obj.Count(l => l.StartsWith("f ", StringComparison.Ordinal)).ShouldBe(mesh.TriangleCount);
        obj.Where(l => l.StartsWith("usemtl ", StringComparison.Ordinal)).ShouldBe(["usemtl red", "usemtl blue"]);
        mtl.Where(l => l.StartsWith("newmtl ", StringComparison.Ordinal)).ShouldBe(["newmtl red", "newmtl blue"]);
    }

    [Theory]
    [InlineData(AssetFormat.Ply, "ply\n")]
    [InlineData(AssetFormat.Glb, "glTF")]
    public async Task ToPlyOrGlb_WritesAFileOfThatFormat_ThatReadsBackToTheSameTriangles(AssetFormat format, string start)
    {
        var (mesh, glb) = Model("two gold donuts");

        using var output = await _converter.ConvertAsync(new MemoryStream(glb), format, "model", CancellationToken.None);

        var bytes = ReadAll(output.Files.ShouldHaveSingleItem().Open);
        Encoding.ASCII.GetString(bytes, 0, 4).ShouldBe(start);
        AssetContent.Detect(bytes).ShouldBe(format);
        ModelFiles.Parse(bytes, format).TriangleCount.ShouldBe(mesh.TriangleCount);
    }

    [Theory]
    [InlineData("my model")]
    [InlineData("../x")]
    [InlineData("")]
    public async Task BaseNameThatIsNotAPlainFileName_BecomesModel(string baseName)
    {
        var (_, glb) = Model("a cube");

        using var output = await _converter.ConvertAsync(new MemoryStream(glb), AssetFormat.Stl, baseName, CancellationToken.None);

        output.Files.Single().FileName.ShouldBe("model.stl");
    }

    [Fact]
    public async Task DisposingTheOutput_RemovesItsFiles()
    {
        var (_, glb) = Model("a cube");
        var output = await _converter.ConvertAsync(new MemoryStream(glb), AssetFormat.Obj, "model", CancellationToken.None);
        using (output.Files[0].Open())
        {
        }

        output.Dispose();

        Should.Throw<IOException>(() => output.Files[0].Open());
    }

    [Fact]
    public async Task GarbageGlb_IsUnreadable_AndLeavesNoFiles()
    {
        var refused = await Should.ThrowAsync<UnreadableModelException>(() => _converter.ConvertAsync(new MemoryStream(Encoding.ASCII.GetBytes("not a model, not at all")), AssetFormat.Stl, "model", CancellationToken.None));

        refused.Message.ShouldBe("The glb cannot be read: it does not start with the binary glTF header.");
    }

    [Fact]
    public async Task Preview_OfAGlb_LooksLikeTheBuiltInGeneratorsPreviewOfTheSameModel()
    {
        var request = Request("a house, a tree and a car on the floor", formats: [AssetFormat.Glb]);
        var files = await GenerateBytesAsync(request);

        var png = await _renderer.RenderPngAsync(new MemoryStream(files["model.glb"]), AssetFormat.Glb, CancellationToken.None);

        var (width, height, pixels) = TestPng.Decode(png);
        var (_, _, expected) = TestPng.Decode(files["preview.png"]);
        (width, height).ShouldBe((BuiltInModelServer.PreviewSize, BuiltInModelServer.PreviewSize));
        // Colours make a round trip through glTF's linear factors: a channel may move by one step.
        pixels.Zip(expected).Count(p => Math.Abs(p.First - p.Second) > 1).ShouldBe(0);
        pixels.Where((_, i) => i % 4 == 3).Count(a => a == 255).ShouldBeGreaterThan(width * height / 20);
    }

    [Theory]
    [InlineData(AssetFormat.Stl)]
    [InlineData(AssetFormat.Ply)]
    public async Task Preview_OfAnStlOrPly_ShowsTheModel(AssetFormat format)
    {
        var mesh = MeshFor(Request("a red cube", quality: GenerationQuality.Draft));
        using var model = new MemoryStream();
        if (format == AssetFormat.Stl)
        {
            StlWriter.Write(mesh, model);
        }
        else
        {
            PlyWriter.Write(mesh, model);
        }

        model.Position = 0;

        var (width, height, pixels) = TestPng.Decode(await _renderer.RenderPngAsync(model, format, CancellationToken.None));

        (width, height).ShouldBe((256, 256));
        pixels.Where((_, i) => i % 4 == 3).Count(a => a == 255).ShouldBeGreaterThan(width * height / 20);
        pixels[3].ShouldBe((byte)0, "the corners stay transparent");
    }

    [Fact]
    public async Task Preview_OfAnObj_IsUnreadable()
    {
        var refused = await Should.ThrowAsync<UnreadableModelException>(() => _renderer.RenderPngAsync(new MemoryStream("v 0 0 0\n"u8.ToArray()), AssetFormat.Obj, CancellationToken.None));

        refused.Message.ShouldBe("obj models cannot be read, only glb, ply, stl.");
        _renderer.Readable.ShouldBe([AssetFormat.Glb, AssetFormat.Ply, AssetFormat.Stl]);
    }

    [Fact]
    public async Task ModelLargerThanAModelMayBe_IsRefusedWithoutReadingItAll()
    {
        using var huge = new HugeStream(ModelLimits.MaxFileBytes + 1);

        var refused = await Should.ThrowAsync<UnreadableModelException>(() => _renderer.RenderPngAsync(huge, AssetFormat.Glb, CancellationToken.None));

        refused.Message.ShouldBe("The glb is larger than the 50 MB a model may be.");
        huge.BytesRead.ShouldBe(0);
    }

    private (Mesh Mesh, byte[] Glb) Model(string prompt)
    {
        var mesh = MeshFor(Request(prompt, quality: GenerationQuality.Draft));
        using var glb = new MemoryStream();
        GlbWriter.Write(mesh, glb);
        return (mesh, glb.ToArray());
    }

    /// <summary>A seekable stream that says how long it is and counts what is read from it.</summary>
    private sealed class HugeStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Position);
            Position += n;
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
