using Microsoft.Extensions.Time.Testing;

namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>
/// A <see cref="PlayerApp"/> of its own whose clock moves only when the test advances <see cref="Time"/>.
/// It starts at the real time, as the footage it serves is stored with real timestamps, to the whole
/// second: the catalogue keeps times to the microsecond, and a clock finer than that would read back a
/// little earlier than it gave them, so no stretch between two readings would be exactly what the test moved.
/// </summary>
public sealed class FakeClockPlayer : IAsyncLifetime
{
    public FakeClockPlayer()
    {
        App = new PlayerApp(Time);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()));

    public PlayerApp App { get; }

    public ValueTask InitializeAsync() => App.InitializeAsync();

    public ValueTask DisposeAsync() => ((IAsyncDisposable)App).DisposeAsync();
}
