using CleanBackend.Domain.Assets;

namespace CleanBackend.Domain.UnitTests.Assets;

public sealed class ImageBudgetTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(8_000, 5_000)]
    [InlineData(16_384, 2_441)]
    [InlineData(2_441, 16_384)]
    public void Refusal_WithinTheBudget_IsNull(int width, int height)
    {
        ImageBudget.Refusal(width, height).ShouldBeNull();
    }

    [Theory]
    [InlineData(8_000, 5_001)]
    [InlineData(50_000, 50_000)]
    [InlineData(16_385, 1)]
    [InlineData(1, 16_385)]
    [InlineData(int.MaxValue, int.MaxValue)]
    public void Refusal_OverThePixelsOrTheSide_SaysWhatWasDeclaredAndWhatIsAccepted(int width, int height)
    {
        ImageBudget.Refusal(width, height).ShouldBe($"The image declares {width}×{height} pixels; at most 40 megapixels and 16384 pixels a side are accepted.");
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(-1, 10)]
    public void Refusal_OfNoPixels_SaysSo(int width, int height)
    {
        ImageBudget.Refusal(width, height).ShouldBe("The image declares no pixels.");
    }
}
