using System.Numerics;
using CleanBackend.Domain.Jobs;
using CleanBackend.Infrastructure.ModelServers.BuiltIn;

namespace CleanBackend.Infrastructure.IntegrationTests.ModelServers.BuiltIn;

/// <summary>Where the built-in generator puts things, pinned by the boxes of their vertices.</summary>
public sealed class SceneLayoutTests
{
    private const float Tolerance = 1e-4f;

    [Fact]
    public void SphereOnCube_RestsCentredOnTheCubesTop()
    {
        var scene = Compose("a red sphere on a blue cube");

        var sphere = One(scene, ShapeKind.Sphere);
        var cube = One(scene, ShapeKind.Cube);
        cube.Min.Y.ShouldBe(0, Tolerance);
        sphere.Min.Y.ShouldBe(cube.Max.Y, Tolerance);
        sphere.Centre.X.ShouldBe(cube.Centre.X, Tolerance);
        sphere.Centre.Z.ShouldBe(cube.Centre.Z, Tolerance);
        ShouldBeClose(sphere.Size, Vector3.One);
        scene.Mesh.Parts.Select(p => p.Material.Name).ShouldBe(["red", "blue"]);
    }

    [Fact]
    public void ChairsAroundTable_StandEquallySpacedOnACircleFacingItsCentre()
    {
        var scene = Compose("three red chairs around a wooden table");

        var table = One(scene, ShapeKind.Table);
        var chairs = scene.Objects.Where(o => o.Shape == ShapeKind.Chair).ToList();
        chairs.Count.ShouldBe(3);
        var centre = table.Position;
        var radii = chairs.Select(c => Vector3.Distance(c.Position, centre)).ToList();
        radii.ShouldAllBe(r => Math.Abs(r - radii[0]) < 1e-3f);
        var angles = chairs.Select(c => MathF.Atan2(c.Position.Z - centre.Z, c.Position.X - centre.X)).Order().ToList();
        angles.Zip(angles.Skip(1).Append(angles[0] + MathF.Tau)).ShouldAllBe(pair => Math.Abs(pair.Second - pair.First - (MathF.Tau / 3)) < 1e-3f);
        foreach (var chair in chairs)
        {
            Vector3.Dot(chair.Front, Vector3.Normalize(centre - chair.Position)).ShouldBe(1, 1e-3f, "the chair faces the table");
            chair.Min.Y.ShouldBe(0, Tolerance);
            chair.Centre.X.ShouldBe(chair.Position.X, 1e-3f);
            chair.Centre.Z.ShouldBe(chair.Position.Z, 1e-3f);
            Overlaps(chair, table).ShouldBeFalse("a chair stands clear of the table");
        }

        scene.Mesh.Parts.Select(p => p.Material.Name).ShouldBe(["red", "wood"]);
    }

    [Fact]
    public void TableWithFourChairs_PutsThemAroundItAQuarterTurnApart()
    {
        var scene = Compose("a table with four chairs");

        var centre = One(scene, ShapeKind.Table).Position;
        var chairs = scene.Objects.Where(o => o.Shape == ShapeKind.Chair).ToList();
        chairs.Count.ShouldBe(4);
        chairs.Select(c => (((int)MathF.Round(MathF.Atan2(c.Position.Z - centre.Z, c.Position.X - centre.X) / (MathF.PI / 2)) * 90) + 360) % 360).ShouldBe([0, 90, 180, 270]);
        chairs.Select(c => Vector3.Distance(c.Position, centre)).ShouldAllBe(r => Math.Abs(r - Vector3.Distance(chairs[0].Position, centre)) < 1e-3f);
        chairs.ShouldAllBe(c => Vector3.Dot(c.Front, Vector3.Normalize(centre - c.Position)) > 0.999f);
    }

    [Fact]
    public void TowerWithPyramidRoof_BuildsBothWithTheRoofOnTheTowersTop()
    {
        var scene = Compose("a tall yellow tower with a pyramid roof");

        var tower = One(scene, ShapeKind.Tower);
        var roof = One(scene, ShapeKind.Pyramid);
        tower.Min.Y.ShouldBe(0, Tolerance);
        tower.Size.Y.ShouldBeGreaterThan(2 * Math.Max(tower.Size.X, tower.Size.Z), "a tall tower");
        roof.Min.Y.ShouldBe(tower.Max.Y, Tolerance);
        roof.Centre.X.ShouldBe(tower.Centre.X, Tolerance);
        roof.Centre.Z.ShouldBe(tower.Centre.Z, Tolerance);
        roof.Size.X.ShouldBeGreaterThanOrEqualTo(tower.Size.X, "the roof covers the top");
        roof.Size.Z.ShouldBeGreaterThanOrEqualTo(tower.Size.Z);
        scene.Mesh.Parts.Select(p => p.Material.Name).ShouldBe(["yellow", "roof"]);
    }

    [Fact]
    public void SphereUnderCube_CarriesTheCube()
    {
        var scene = Compose("a red sphere under a blue cube");

        var sphere = One(scene, ShapeKind.Sphere);
        var cube = One(scene, ShapeKind.Cube);
        sphere.Min.Y.ShouldBe(0, Tolerance);
        cube.Min.Y.ShouldBe(sphere.Max.Y, Tolerance);
        cube.Centre.X.ShouldBe(sphere.Centre.X, Tolerance);
        cube.Centre.Z.ShouldBe(sphere.Centre.Z, Tolerance);
    }

    [Fact]
    public void BallUnderTable_IsShrunkToFitBeneathTheTop()
    {
        var scene = Compose("a ball under a table");

        var ball = One(scene, ShapeKind.Sphere);
        var table = One(scene, ShapeKind.Table);
        ball.Min.Y.ShouldBe(0, Tolerance);
        ball.Max.Y.ShouldBeLessThan(SceneBuilder.TableClearance, "below the table top's underside");
        ball.Centre.X.ShouldBe(table.Centre.X, Tolerance);
        ball.Centre.Z.ShouldBe(table.Centre.Z, Tolerance);
        ball.Size.X.ShouldBe(ball.Size.Y, Tolerance);
    }

    [Fact]
    public void BallOnTable_IsSizedToTheTableTop()
    {
        var scene = Compose("a red ball on a table");

        var ball = One(scene, ShapeKind.Sphere);
        var table = One(scene, ShapeKind.Table);
        ball.Min.Y.ShouldBe(table.Max.Y, Tolerance);
        ball.Centre.X.ShouldBe(table.Centre.X, Tolerance);
        ball.Centre.Z.ShouldBe(table.Centre.Z, Tolerance);
        ball.Size.Z.ShouldBe(0.6f * table.Size.Z, Tolerance);
        ball.Size.Y.ShouldBe(ball.Size.Z, Tolerance);
    }

    [Theory]
    [InlineData("a green cone beside a red cube", 1, 0)]
    [InlineData("a green cone next to a red cube", 1, 0)]
    [InlineData("a green cone right of a red cube", 1, 0)]
    [InlineData("a green cone to the left of a red cube", -1, 0)]
    [InlineData("a green cone behind a red cube", 0, -1)]
    [InlineData("a green cone in front of a red cube", 0, 1)]
    public void NextTo_PutsTheThingClearOnThatSideOnTheSameFloorLinedUp(string prompt, int x, int z)
    {
        var scene = Compose(prompt);

        var cone = One(scene, ShapeKind.Cone);
        var cube = One(scene, ShapeKind.Cube);
        var direction = new Vector3(x, 0, z);
        var gap = direction.X + direction.Z > 0
            ? Vector3.Dot(cone.Min - cube.Max, direction)
            : Vector3.Dot(cube.Min - cone.Max, -direction);
        gap.ShouldBeInRange(0.05f, 0.5f);
        cone.Min.Y.ShouldBe(0, Tolerance);
        cube.Min.Y.ShouldBe(0, Tolerance);
        var across = new Vector3(1 - Math.Abs(x), 0, 1 - Math.Abs(z));
        Vector3.Dot(cone.Centre - cube.Centre, across).ShouldBe(0, Tolerance);
    }

    [Fact]
    public void FiveCubesInARow_LineUpAlongXEquallySpaced()
    {
        var cubes = Compose("five cubes in a row").Objects.OrderBy(o => o.Centre.X).ToList();

        cubes.Count.ShouldBe(5);
        cubes.ShouldAllBe(c => Math.Abs(c.Min.Y) < Tolerance && Math.Abs(c.Centre.Z - cubes[0].Centre.Z) < Tolerance);
        var gaps = cubes.Zip(cubes.Skip(1), (a, b) => b.Min.X - a.Max.X).ToList();
        gaps.ShouldAllBe(g => g > 0.1f && Math.Abs(g - gaps[0]) < Tolerance);
    }

    [Theory]
    [InlineData("a stack of three red boxes")]
    [InlineData("three stacked boxes")]
    [InlineData("three cubes stacked on top of each other")]
    public void Stack_PutsEachBoxCentredOnTheOneBelow(string prompt)
    {
        var boxes = Compose(prompt).Objects.OrderBy(o => o.Min.Y).ToList();

        boxes.Count.ShouldBe(3);
        boxes[0].Min.Y.ShouldBe(0, Tolerance);
        foreach (var (below, above) in boxes.Zip(boxes.Skip(1)))
        {
            above.Min.Y.ShouldBe(below.Max.Y, Tolerance);
            above.Centre.X.ShouldBe(below.Centre.X, Tolerance);
            above.Centre.Z.ShouldBe(below.Centre.Z, Tolerance);
        }
    }

    [Fact]
    public void SmallCubeOnLargeCube_TakesEachOnesSize()
    {
        var scene = Compose("a small red cube on a large blue cube");

        var (small, large) = (scene.Objects[0], scene.Objects[1]);
        ShouldBeClose(small.Size, new Vector3(0.5f));
        ShouldBeClose(large.Size, new Vector3(1.75f));
        small.Min.Y.ShouldBe(large.Max.Y, Tolerance);
        small.Centre.X.ShouldBe(large.Centre.X, Tolerance);
    }

    [Theory]
    [InlineData("a cube", 1, 1, 1)]
    [InlineData("a tall cube", 1, 2, 1)]
    [InlineData("a short cube", 1, 0.5f, 1)]
    [InlineData("a tiny cube", 0.5f, 0.5f, 0.5f)]
    [InlineData("a huge cube", 1.75f, 1.75f, 1.75f)]
    [InlineData("a wide cube", 1.75f, 1, 1.75f)]
    [InlineData("a narrow cube", 0.5f, 1, 0.5f)]
    [InlineData("a flat cube", 1, 0.25f, 1)]
    [InlineData("a thin cube", 1, 0.25f, 1)]
    [InlineData("a long cube", 2, 1, 1)]
    [InlineData("a tall thin cube", 0.5f, 2, 0.5f)]
    [InlineData("a big tall cube", 1.75f, 3.5f, 1.75f)]
    public void SizeWords_ScaleTheObject(string prompt, float x, float y, float z)
    {
        ShouldBeClose(One(Compose(prompt), ShapeKind.Cube).Size, new Vector3(x, y, z));
    }

    [Fact]
    public void TwoThingsOnOneCube_SitSideBySideOnItsTop()
    {
        var scene = Compose("a sphere on a cube and a cone on the cube");

        var cube = One(scene, ShapeKind.Cube);
        var sphere = One(scene, ShapeKind.Sphere);
        var cone = One(scene, ShapeKind.Cone);
        sphere.Min.Y.ShouldBe(cube.Max.Y, Tolerance);
        cone.Min.Y.ShouldBe(cube.Max.Y, Tolerance);
        cone.Min.X.ShouldBeGreaterThan(sphere.Max.X);
    }

    [Fact]
    public void HouseWithRedRoof_PaintsItsOwnRoofRed()
    {
        var scene = Compose("a house with a red roof");

        var house = One(scene, ShapeKind.House);
        var roof = scene.Mesh.Parts.Single(p => p.Material.Name == "red").Geometry.Bounds();
        roof.Max.Y.ShouldBe(house.Max.Y, Tolerance);
        roof.Min.Y.ShouldBeGreaterThan(0.6f, "on the walls");
        scene.Objects.Count.ShouldBe(1, "the house's own roof, not a second one");
    }

    [Fact]
    public void HouseWithDomeRoof_PutsTheDomeOnTheWallsInsteadOfItsOwnRoof()
    {
        var scene = Compose("a house with a dome roof");

        var house = One(scene, ShapeKind.House);
        var dome = One(scene, ShapeKind.Dome);
        dome.Min.Y.ShouldBe(house.Max.Y, Tolerance);
        house.Max.Y.ShouldBe(0.7f, Tolerance);
    }

    [Fact]
    public void CarWithBlackWheels_PaintsItsOwnWheels()
    {
        var scene = Compose("a blue car with black wheels");

        scene.Mesh.Parts.Select(p => p.Material.Name).ShouldBe(["blue", "glass", "lamp", "black"]);
        scene.Mesh.Parts.Single(p => p.Material.Name == "black").Geometry.Bounds().Min.Y.ShouldBe(0, Tolerance);
    }

    [Fact]
    public void BoxWithFourWheels_StandsOnWheelsAtItsFrontAndBackSides()
    {
        var scene = Compose("a box with four wheels");

        var box = One(scene, ShapeKind.Cube);
        var wheels = scene.Objects.Where(o => o.Shape == ShapeKind.Cylinder).ToList();
        wheels.Count.ShouldBe(4);
        wheels.ShouldAllBe(w => Math.Abs(w.Min.Y) < Tolerance);
        box.Min.Y.ShouldBeGreaterThan(0, "lifted by the wheels");
        wheels.Count(w => w.Min.Z >= box.Max.Z - Tolerance).ShouldBe(2);
        wheels.Count(w => w.Max.Z <= box.Min.Z + Tolerance).ShouldBe(2);
    }

    [Fact]
    public void TowerWithDomeAndSpire_StacksThemOnTop()
    {
        var scene = Compose("a tower with a red dome and a spire");

        var tower = One(scene, ShapeKind.Tower);
        var dome = One(scene, ShapeKind.Dome);
        var spire = One(scene, ShapeKind.Cone);
        dome.Min.Y.ShouldBe(tower.Max.Y, Tolerance);
        spire.Min.Y.ShouldBe(dome.Max.Y, Tolerance);
        spire.Size.X.ShouldBeLessThan(tower.Size.X / 2);
        spire.Size.Y.ShouldBeGreaterThan(tower.Size.X);
    }

    [Fact]
    public void CubeWithLid_PutsAFlatLidAsWideAsTheCubeOnIt()
    {
        var scene = Compose("a cube with a red lid");

        var (cube, lid) = (scene.Objects[0], scene.Objects[1]);
        lid.Min.Y.ShouldBe(cube.Max.Y, Tolerance);
        lid.Size.X.ShouldBeGreaterThanOrEqualTo(cube.Size.X);
        lid.Size.Y.ShouldBeLessThan(0.2f * cube.Size.Y);
    }

    [Fact]
    public void CylinderWithHandle_SticksTheHandleOutOfItsRightSide()
    {
        var scene = Compose("a cylinder with a handle");

        var cup = One(scene, ShapeKind.Cylinder);
        var handle = One(scene, ShapeKind.Torus);
        handle.Max.X.ShouldBeGreaterThan(cup.Max.X);
        handle.Min.X.ShouldBeLessThan(cup.Max.X, "sunk into the side");
        handle.Centre.Y.ShouldBe(cup.Centre.Y, Tolerance);
    }

    [Fact]
    public void RelationsChain_SphereOnCubeNextToCone()
    {
        var scene = Compose("a sphere on a cube next to a cone");

        var (sphere, cube, cone) = (One(scene, ShapeKind.Sphere), One(scene, ShapeKind.Cube), One(scene, ShapeKind.Cone));
        sphere.Min.Y.ShouldBe(cube.Max.Y, Tolerance);
        cube.Min.X.ShouldBeGreaterThan(cone.Max.X);
        cube.Min.Y.ShouldBe(cone.Min.Y, Tolerance);
    }

    [Fact]
    public void CubesOnTheFloor_StandOnTheGroundLaidOutAsWithoutIt()
    {
        var onFloor = Compose("four cubes on a green floor");
        var alone = Compose("four cubes");

        onFloor.Objects.Where(o => o.Shape == ShapeKind.Cube).Select(o => o.Min)
            .ShouldBe(alone.Objects.Select(o => o.Min));
        One(onFloor, ShapeKind.Plane).Min.Y.ShouldBe(0);
    }

    private static Scene Compose(string prompt) => SceneBuilder.Compose(PromptParser.Parse(prompt, null), 1, GenerationQuality.Draft);

    private static PlacedObject One(Scene scene, ShapeKind shape) => scene.Objects.Single(o => o.Shape == shape);

    private static void ShouldBeClose(Vector3 actual, Vector3 expected) =>
        Vector3.Distance(actual, expected).ShouldBeLessThan(Tolerance, $"{actual} should be {expected}");

    private static bool Overlaps(PlacedObject a, PlacedObject b) =>
        a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Z < b.Max.Z && b.Min.Z < a.Max.Z;
}
