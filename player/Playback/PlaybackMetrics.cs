using System.Diagnostics.Metrics;

namespace Enforcement.Media.Player.Playback;

/// <summary>
/// Viewings: sessions started, and the ranges and bytes their streams served, by part (media, poster,
/// sprite, thumbnails) and variant (rendition, original). Who watched what is in the access ledger and
/// the logs, never in a label.
/// </summary>
public sealed class PlaybackMetrics
{
    public const string MeterName = "Enforcement.Media.Playback";

    private readonly Counter<long> _sessions;
    private readonly Counter<long> _ranges;
    private readonly Counter<long> _bytes;

    public PlaybackMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _sessions = meter.CreateCounter<long>("enforcement_media.playback.sessions", "{session}", "Viewing sessions started, by variant (rendition, original).");
        _ranges = meter.CreateCounter<long>("enforcement_media.playback.ranges", "{range}", "Ranges put on record and sent, by part (media, poster, sprite, thumbnails) and variant.");
        _bytes = meter.CreateCounter<long>("enforcement_media.playback.bytes", "By", "Bytes written to viewers' responses, by part and variant (a range the viewer abandoned counts what was sent).");
    }

    public void SessionStarted(string variant) => _sessions.Add(1, new KeyValuePair<string, object?>("variant", variant));

    /// <summary>Per range, so per request of a playing video: constant-string tags only, no allocation.</summary>
    public void RangeServed(string part, string variant, long bytes)
    {
        var partTag = new KeyValuePair<string, object?>("part", part);
        var variantTag = new KeyValuePair<string, object?>("variant", variant);
        _ranges.Add(1, partTag, variantTag);
        _bytes.Add(bytes, partTag, variantTag);
    }
}
