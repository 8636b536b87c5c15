using CleanBackend.Application.Jobs.Commands.CreateGenerationJob;
using CleanBackend.Domain.Assets;
using CleanBackend.Domain.Jobs;

namespace CleanBackend.Application.UnitTests.Jobs.Commands.CreateGenerationJob;

public class CreateGenerationJobCommandValidatorTests
{
    private static readonly Guid[] Images = [.. Enumerable.Range(1, 5).Select(i => new Guid(i, 0, 0, new byte[8]))];

    private readonly CreateGenerationJobCommandValidator _validator = new();

    private string[] Errors(CreateGenerationJobCommand command) =>
        [.. _validator.Validate(command).Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")];

    [Fact]
    public void Validate_ATextRequestAsBefore_Passes()
    {
        Errors(new CreateGenerationJobCommand("a red cube", Formats: [AssetFormat.Glb, AssetFormat.Obj, AssetFormat.Ply])).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_WithImagesAndNoPrompt_Passes(string? prompt)
    {
        Errors(new CreateGenerationJobCommand(prompt, ImageAssetIds: Images[..4])).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_WithoutPromptOrImages_FailsOnThePromptAsBefore()
    {
        Errors(new CreateGenerationJobCommand()).ShouldBe(["Prompt: 'Prompt' must not be empty."]);
        Errors(new CreateGenerationJobCommand(ImageAssetIds: [])).ShouldBe(["Prompt: 'Prompt' must not be empty."]);
    }

    [Fact]
    public void Validate_WithImagesAndATooShortPrompt_FailsOnThePrompt()
    {
        Errors(new CreateGenerationJobCommand("ab", ImageAssetIds: [Images[0]])).ShouldBe(["Prompt: Prompt must be 3 to 1000 characters."]);
    }

    [Fact]
    public void Validate_WithFiveImages_Fails()
    {
        Errors(new CreateGenerationJobCommand("a vase", ImageAssetIds: Images)).ShouldBe(["ImageAssetIds: Give at most 4 images (views of one object)."]);
    }

    [Fact]
    public void Validate_WithAnImageTwiceOrAnEmptyId_Fails()
    {
        Errors(new CreateGenerationJobCommand(ImageAssetIds: [Images[0], Images[0]])).ShouldBe(["ImageAssetIds: Each image is given once."]);
        Errors(new CreateGenerationJobCommand(ImageAssetIds: [Guid.Empty])).ShouldBe(["ImageAssetIds: Each image is given once."]);
    }

    [Theory]
    [InlineData(GenerationJob.MinTargetPolycount)]
    [InlineData(GenerationJob.MaxTargetPolycount)]
    public void Validate_WithATargetPolycountWithinBounds_Passes(int target)
    {
        Errors(new CreateGenerationJobCommand("a vase", TargetPolycount: target)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(GenerationJob.MinTargetPolycount - 1)]
    [InlineData(GenerationJob.MaxTargetPolycount + 1)]
    public void Validate_WithATargetPolycountOutOfBounds_Fails(int target)
    {
        Errors(new CreateGenerationJobCommand("a vase", TargetPolycount: target)).ShouldBe(["TargetPolycount: Target polycount must be from 100 to 300000."]);
    }

    [Fact]
    public void Validate_WithAnUnknownTopology_Fails()
    {
        Errors(new CreateGenerationJobCommand("a vase", Topology: (MeshTopology)9)).Single().ShouldStartWith("Topology: ");
    }

    [Fact]
    public void Validate_WithFourFormatsIncludingStl_Passes()
    {
        Errors(new CreateGenerationJobCommand("a vase", Formats: [AssetFormat.Glb, AssetFormat.Obj, AssetFormat.Ply, AssetFormat.Stl])).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_WithAnImageFormatAsOutput_Fails()
    {
        Errors(new CreateGenerationJobCommand("a vase", Formats: [AssetFormat.Png])).ShouldBe(["Formats: Formats are one to four of glb, obj, ply, stl."]);
    }
}
