using Enforcement.Media.Storage.Cases;

namespace Enforcement.Media.Tests.Cases;

public sealed class CoverageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 1, 0, 0, TimeSpan.Zero);

    private static RecordingSpan Span(string name, int fromMinute, int toMinute, string device = "A100001") =>
        new(Guid.NewGuid(), name, device, "123456", T0.AddMinutes(fromMinute), T0.AddMinutes(toMinute));

    [Fact]
    public void A_removed_middle_segment_of_a_recorders_run_is_named_with_the_files_around_it()
    {
        var spans = new[] { Span("A100001_123456_20261120090000.mp4", 0, 10), Span("A100001_123456_20261120092000.mp4", 20, 30) };

        var gap = Assert.Single(Coverage.Gaps(spans, T0, T0.AddMinutes(30), TimeSpan.FromSeconds(5)));

        Assert.Equal((T0.AddMinutes(10), T0.AddMinutes(20)), (gap.From, gap.To));
        Assert.Equal("A100001", gap.DeviceSerial);
        Assert.Equal("A100001_123456_20261120090000.mp4", gap.FileBefore);
        Assert.Equal("A100001_123456_20261120092000.mp4", gap.FileAfter);
    }

    [Fact]
    public void A_partial_recording_leaves_gaps_at_the_start_and_the_end()
    {
        var gaps = Coverage.Gaps([Span("late.mp4", 5, 25)], T0, T0.AddMinutes(30), TimeSpan.FromSeconds(5));

        Assert.Equal([(T0, T0.AddMinutes(5), "no footage"), (T0.AddMinutes(25), T0.AddMinutes(30), "no footage")], gaps.Select(g => (g.From, g.To, g.Reason)));
        Assert.Equal(TimeSpan.FromMinutes(20), Coverage.Covered([Span("late.mp4", 5, 25)], T0, T0.AddMinutes(30)));
    }

    [Fact]
    public void Overlapping_recordings_from_two_officers_cover_the_window_once()
    {
        var spans = new[] { Span("a.mp4", -5, 18, "A1"), Span("b.mp4", 15, 40, "B2") };

        Assert.Empty(Coverage.Gaps(spans, T0, T0.AddMinutes(30), TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromMinutes(30), Coverage.Covered(spans, T0, T0.AddMinutes(30)));
    }

    [Fact]
    public void Gaps_no_longer_than_the_threshold_are_not_reported()
    {
        var spans = new[] { Span("a.mp4", 0, 10), new RecordingSpan(Guid.NewGuid(), "b.mp4", "A100001", "123456", T0.AddMinutes(10).AddSeconds(4), T0.AddMinutes(30)) };

        Assert.Empty(Coverage.Gaps(spans, T0, T0.AddMinutes(30), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_window_without_any_footage_is_one_gap()
    {
        var gap = Assert.Single(Coverage.Gaps([], T0, T0.AddMinutes(30), TimeSpan.FromSeconds(5)));

        Assert.Equal(1800, gap.Seconds);
    }
}
