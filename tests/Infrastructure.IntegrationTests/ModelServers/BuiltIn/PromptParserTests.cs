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

    [Theory]
    [InlineData("a red sphere on a blue cube", "Sphere Cube", "0 On 1")]
    [InlineData("a sphere on top of a cube", "Sphere Cube", "0 On 1")]
    [InlineData("a cone under a table", "Cone Table", "0 Under 1")]
    [InlineData("a ball beneath a chair", "Sphere Chair", "0 Under 1")]
    [InlineData("a green cone beside a red cube", "Cone Cube", "0 Beside 1")]
    [InlineData("a cube next to a sphere", "Cube Sphere", "0 Beside 1")]
    [InlineData("a cube to the left of a sphere", "Cube Sphere", "0 LeftOf 1")]
    [InlineData("a cube right of a sphere", "Cube Sphere", "0 RightOf 1")]
    [InlineData("a sphere behind a cube", "Sphere Cube", "0 Behind 1")]
    [InlineData("a sphere in front of a cube", "Sphere Cube", "0 InFrontOf 1")]
    [InlineData("three red chairs around a wooden table", "Chair Table", "0 Around 1")]
    [InlineData("a table surrounded by six chairs", "Table Chair", "1 Around 0")]
    [InlineData("a red car and a tree next to a house", "Car Tree House", "0,1 Beside 2")]
    [InlineData("a sphere on a cube next to a cone", "Sphere Cube Cone", "0 On 1; 1 Beside 2")]
    [InlineData("a sphere on a cube and a cone on the cube", "Sphere Cube Cone", "0 On 1; 2 On 1")]
    [InlineData("a cube and a sphere on top", "Cube Sphere", "1 On 0")]
    [InlineData("a red dragon on a blue cube", "Blob Cube", "0 On 1")]
    [InlineData("a cube on the left", "Cube", "")]
    public void Parse_ReadsTheRelationsBetweenThings(string prompt, string shapes, string relations)
    {
        var spec = PromptParser.Parse(prompt, null);

        string.Join(' ', spec.Objects.Select(o => o.Shape)).ShouldBe(shapes);
        Describe(spec.Relations).ShouldBe(relations);
        spec.Objects.ShouldAllBe(o => o.Owner == null);
    }

    [Fact]
    public void Parse_RelationWords_KeepEachThingsOwnColourAndSize()
    {
        var spec = PromptParser.Parse("a small red sphere on a large blue cube", null);

        spec.Objects.Select(o => (o.Shape, o.Color?.Name, o.Size)).ShouldBe(
        [
            (ShapeKind.Sphere, "red", SizeKind.Small),
            (ShapeKind.Cube, "blue", SizeKind.Large),
        ]);
    }

    [Theory]
    [InlineData("a tall yellow tower with a pyramid roof", "Tower yellow | Pyramid Roof of 0", "")]
    [InlineData("a house with a red roof", "House | Pyramid red Roof of 0", "")]
    [InlineData("a tower with a red dome and a spire", "Tower | Dome red Roof of 0 | Cone Spire of 0", "")]
    [InlineData("a car with black wheels", "Car | Cylinder black Wheels of 0", "")]
    [InlineData("a cube with a lid", "Cube | Cube Lid of 0", "")]
    [InlineData("a cylinder with a lid", "Cylinder | Cylinder Lid of 0", "")]
    [InlineData("a snowman wearing a blue hat", "Snowman | Cone blue Hat of 0", "")]
    [InlineData("a red roof on a tower", "Pyramid red Roof of 1 | Tower", "")]
    [InlineData("a table with four chairs", "Table | Chair", "1 Around 0")]
    [InlineData("a table with a red ball", "Table | Sphere red", "1 On 0")]
    [InlineData("a house with a tree", "House | Tree", "1 Beside 0")]
    [InlineData("a table with a ball on it and four chairs", "Table | Sphere | Chair", "1 On 0; 2 Around 0")]
    [InlineData("a table with four chairs around it", "Table | Chair", "1 Around 0")]
    [InlineData("a house with a red roof next to a tree", "House | Pyramid red Roof of 0 | Tree", "0 Beside 2")]
    public void Parse_With_JoinsPartsToTheirObjectAndPlacesTheRest(string prompt, string objects, string relations)
    {
        var spec = PromptParser.Parse(prompt, null);

        string.Join(" | ", spec.Objects.Select(o => string.Join(' ', new[]
        {
            o.Shape.ToString(),
            o.Color?.Name,
            o.Part == PartKind.None ? null : o.Part.ToString(),
            o.Owner is { } owner ? $"of {owner}" : null,
        }.Where(w => w is not null)))).ShouldBe(objects);
        Describe(spec.Relations).ShouldBe(relations);
    }

    [Fact]
    public void Parse_PluralPartsWithNoNumber_GetTheUsualNumber()
    {
        var spec = PromptParser.Parse("a box with wheels, two handles, windows and a door", null);

        spec.Objects.Skip(1).Select(o => (o.Part, o.Count)).ShouldBe(
        [
            (PartKind.Wheels, 4),
            (PartKind.Handle, 2),
            (PartKind.Windows, 2),
            (PartKind.Door, 1),
        ]);
    }

    [Theory]
    [InlineData("five cubes in a row", "0 Row")]
    [InlineData("a row of five cubes", "0 Row")]
    [InlineData("a red cube, a blue sphere and a green cone in a line", "0,1,2 Row")]
    [InlineData("three stacked boxes", "0 Stack")]
    [InlineData("three boxes stacked", "0 Stack")]
    [InlineData("a stack of three red boxes", "0 Stack")]
    [InlineData("a tower of cubes", "0 Stack")]
    [InlineData("three cubes stacked on top of each other", "0 Stack")]
    [InlineData("two spheres next to each other", "0 Row")]
    [InlineData("six spheres in a circle", "0 Circle")]
    [InlineData("a ring of six cubes", "0 Circle")]
    public void Parse_ReadsArrangements(string prompt, string groupings)
    {
        var spec = PromptParser.Parse(prompt, null);

        string.Join("; ", spec.Groupings.Select(g => $"{string.Join(',', g.Objects)} {g.Arrangement}")).ShouldBe(groupings);
        spec.Relations.ShouldBeEmpty();
        spec.Objects.ShouldNotContain(o => o.Shape == ShapeKind.Torus || o.Shape == ShapeKind.Tower);
    }

    [Theory]
    [InlineData("a tall thin tower", "Tall, Flat")]
    [InlineData("a wide short box", "Short, Wide")]
    [InlineData("a long narrow table", "Narrow, Long")]
    [InlineData("a big tall cube", "Large, Tall")]
    [InlineData("a tiny flat cube", "Small, Flat")]
    public void Parse_CombinesSizeWords(string prompt, string size)
    {
        PromptParser.Parse(prompt, null).Objects.ShouldHaveSingleItem().Size.ShouldBe(Enum.Parse<SizeKind>(size));
    }

    [Theory]
    [InlineData("on")]
    [InlineData("with with with")]
    [InlineData("on top of each other it them and")]
    [InlineData("around the around of the")]
    [InlineData("a cube on")]
    [InlineData("on a cube")]
    [InlineData("a cube on a cube on a cube")]
    [InlineData("the cube on the cube")]
    [InlineData("a cube with")]
    [InlineData("with a roof")]
    [InlineData("a roof with a roof with a roof")]
    [InlineData("surrounded by")]
    [InlineData("a table surrounded by")]
    [InlineData("stacked in a row in a circle")]
    [InlineData("a stack of")]
    [InlineData("a red on a blue under a green")]
    [InlineData("wheels on wheels beside legs")]
    [InlineData("a floor on a floor under a plane")]
    [InlineData("a house with a house with a house")]
    [InlineData("a pyramid with a spire and a tower with the pyramid")]
    [InlineData("a cube on a table with the cube on it")]
    [InlineData("12 chairs around 12 tables around 12 chairs")]
    [InlineData("ein roter Würfel auf einem blauen Würfel")]
    [InlineData("")]
    public void Parse_OddPhrasings_ReadAsSomethingBuildable(string prompt)
    {
        var spec = PromptParser.Parse(prompt, null);

        spec.Objects.ShouldNotBeEmpty();
        spec.Objects.ShouldAllBe(o => o.Count >= 1 && o.Count <= PromptParser.MaxCount);
        spec.Relations.ShouldAllBe(r => r.Subjects.Count > 0 && !r.Subjects.Contains(r.Anchor));
        spec.Objects.ShouldAllBe(o => o.Owner == null || spec.Objects[o.Owner.Value].Owner == null);
        SceneBuilder.Build(spec, 1, Domain.Jobs.GenerationQuality.Draft).TriangleCount.ShouldBeGreaterThan(0);
    }

    private static string Describe(IEnumerable<Relation> relations) =>
        string.Join("; ", relations.Select(r => $"{string.Join(',', r.Subjects)} {r.Kind} {r.Anchor}"));
}
