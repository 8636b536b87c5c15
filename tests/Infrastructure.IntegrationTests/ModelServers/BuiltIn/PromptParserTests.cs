using CleanBackend.Infrastructure.ModelServers.BuiltIn;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

public sealed class PromptParserTests
{
    [Theory]
    [InlineData("a red cube", nameof(ShapeKind.Cube), "red", 1, nameof(SizeKind.Normal))]
    [InlineData("A RED BOX!", nameof(ShapeKind.Cube), "red", 1, nameof(SizeKind.Normal))]
    [InlineData("three blue spheres", nameof(ShapeKind.Sphere), "blue", 3, nameof(SizeKind.Normal))]
    [InlineData("2 balls", nameof(ShapeKind.Sphere), null, 2, nameof(SizeKind.Normal))]
    [InlineData("a tall green cylinder", nameof(ShapeKind.Cylinder), "green", 1, nameof(SizeKind.Tall))]
    [InlineData("two small yellow cones", nameof(ShapeKind.Cone), "yellow", 2, nameof(SizeKind.Small))]
    [InlineData("a large gold pyramid", nameof(ShapeKind.Pyramid), "gold", 1, nameof(SizeKind.Large))]
    [InlineData("a huge orange donut", nameof(ShapeKind.Torus), "orange", 1, nameof(SizeKind.Large))]
    [InlineData("5 purple tori", nameof(ShapeKind.Torus), "purple", 5, nameof(SizeKind.Normal))]
    [InlineData("a silver ring", nameof(ShapeKind.Torus), "silver", 1, nameof(SizeKind.Normal))]
    [InlineData("a flat grey plane", nameof(ShapeKind.Plane), "gray", 1, nameof(SizeKind.Flat))]
    [InlineData("a pink floor", nameof(ShapeKind.Plane), "pink", 1, nameof(SizeKind.Normal))]
    [InlineData("a brown table", nameof(ShapeKind.Table), "brown", 1, nameof(SizeKind.Normal))]
    [InlineData("four white chairs", nameof(ShapeKind.Chair), "white", 4, nameof(SizeKind.Normal))]
    [InlineData("a tiny tree", nameof(ShapeKind.Tree), null, 1, nameof(SizeKind.Small))]
    [InlineData("a black house", nameof(ShapeKind.House), "black", 1, nameof(SizeKind.Normal))]
    [InlineData("two snowmen", nameof(ShapeKind.Snowman), null, 2, nameof(SizeKind.Normal))]
    [InlineData("a cyan car", nameof(ShapeKind.Car), "cyan", 1, nameof(SizeKind.Normal))]
    [InlineData("ten cubes", nameof(ShapeKind.Cube), null, 10, nameof(SizeKind.Normal))]
    [InlineData("25 cubes", nameof(ShapeKind.Cube), null, PromptParser.MaxCount, nameof(SizeKind.Normal))]
    [InlineData("a dozen violet cubes", nameof(ShapeKind.Cube), "purple", PromptParser.MaxCount, nameof(SizeKind.Normal))]
    [InlineData("a dark red cube", nameof(ShapeKind.Cube), "dark_red", 1, nameof(SizeKind.Normal))]
    [InlineData("a cube, red", nameof(ShapeKind.Cube), "red", 1, nameof(SizeKind.Normal))]
    [InlineData("a thin box", nameof(ShapeKind.Cube), null, 1, nameof(SizeKind.Flat))]
    [InlineData("a mysterious alien artifact", nameof(ShapeKind.Blob), null, 1, nameof(SizeKind.Normal))]
    [InlineData("three small green dragons", nameof(ShapeKind.Blob), "green", 3, nameof(SizeKind.Small))]
    public void Parse_ReadsShapeColourCountAndSize(string prompt, string shape, string? color, int count, string size)
    {
        var spec = PromptParser.Parse(prompt, null);

        var first = spec.Objects[0];
        first.Shape.ShouldBe(Enum.Parse<ShapeKind>(shape));
        first.Color?.Name.ShouldBe(color);
        if (color is null)
        {
            first.Color.ShouldBeNull();
        }

        first.Count.ShouldBe(count);
        first.Size.ShouldBe(Enum.Parse<SizeKind>(size));
    }

    [Fact]
    public void Parse_GivesEachShapeTheWordsBeforeIt()
    {
        var spec = PromptParser.Parse("two red cubes and a big blue ball next to 3 cones", null);

        spec.Objects.Select(o => (o.Shape, o.Color?.Name, o.Count, o.Size)).ShouldBe(
        [
            (ShapeKind.Cube, "red", 2, SizeKind.Normal),
            (ShapeKind.Sphere, "blue", 1, SizeKind.Large),
            (ShapeKind.Cone, null, 3, SizeKind.Normal),
        ]);
        spec.IsFallback.ShouldBeFalse();
    }

    [Fact]
    public void Parse_WithNoShapeWord_FallsBackToABlob()
    {
        var spec = PromptParser.Parse("an ancient dragon statue", null);

        spec.IsFallback.ShouldBeTrue();
        spec.Objects.ShouldHaveSingleItem().Shape.ShouldBe(ShapeKind.Blob);
    }

    [Fact]
    public void Parse_CollectsTheNegativePromptsColours()
    {
        var spec = PromptParser.Parse("a cube", "no red, nothing grey or Violet; blurry");

        spec.ExcludedColors.OrderBy(c => c, StringComparer.Ordinal).ShouldBe(["gray", "purple", "red"]);
    }

    [Fact]
    public void Parse_NormalizesThePromptForSeeding()
    {
        PromptParser.Parse("  A Dragon!! ", null).NormalizedPrompt.ShouldBe(PromptParser.Parse("a dragon", null).NormalizedPrompt);
    }
}
