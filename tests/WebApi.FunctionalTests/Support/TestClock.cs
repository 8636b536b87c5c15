namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>The real clock, moved forward by whatever a test skips (to let codes and tokens expire).</summary>
public sealed class TestClock : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;

    public void Advance(TimeSpan by) => _offset += by;
}
