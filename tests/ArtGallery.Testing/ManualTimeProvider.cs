namespace ArtGallery.Testing;

/// <summary>A clock a test moves by hand (Microsoft.Extensions.TimeProvider.Testing is not in the package folder); timers are not driven.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
