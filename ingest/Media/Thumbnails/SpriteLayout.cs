using System.Globalization;
using System.Text;
using Enforcement.Media.Ingest.Media.Renditions;

namespace Enforcement.Media.Ingest.Media.Thumbnails;

/// <summary>
/// A scrubbing sprite: one frame every <see cref="IntervalSeconds"/> seconds, each scaled to
/// <see cref="Tile"/> and laid out row by row, <see cref="Columns"/> to a row.
/// </summary>
public sealed record SpriteLayout(int IntervalSeconds, int Count, int Columns, FrameSize Tile, double DurationSeconds)
{
    public int Rows => (Count + Columns - 1) / Columns;

    public FrameSize Sheet => new(Columns * Tile.Width, Rows * Tile.Height);

    /// <summary>Whole-second intervals, as few as keep the tiles within <c>Media:SpriteMaxTiles</c>.</summary>
    public static SpriteLayout For(double durationSeconds, FrameSize upright, MediaOptions options)
    {
        var interval = Math.Max(1, (int)Math.Ceiling(durationSeconds / Math.Max(1, options.SpriteMaxTiles)));
        var count = Math.Max(1, (int)Math.Ceiling(durationSeconds / interval));
        var columns = Math.Clamp(options.SpriteColumns, 1, count);
        var tile = upright.FitWithin(options.SpriteTileSize, options.SpriteTileSize);
        return new SpriteLayout(interval, count, columns, tile, durationSeconds);
    }

    /// <summary>
    /// The WebVTT thumbnails track (W3C WebVTT cue text used by video players' seek bars): one cue per tile,
    /// its payload the sheet's URL with a media fragment (<c>#xywh=x,y,w,h</c>). <paramref name="sheetUrl"/>
    /// is relative to the track, so the player serves both side by side.
    /// </summary>
    public string ToWebVtt(string sheetUrl)
    {
        var vtt = new StringBuilder("WEBVTT\n");
        for (var i = 0; i < Count; i++)
        {
            var start = (double)i * IntervalSeconds;
            var end = Math.Min((double)(i + 1) * IntervalSeconds, DurationSeconds);
            if (end <= start)
            {
                end = start + IntervalSeconds;
            }

            var x = i % Columns * Tile.Width;
            var y = i / Columns * Tile.Height;
            vtt.Append('\n')
                .Append(Timestamp(start)).Append(" --> ").Append(Timestamp(end)).Append('\n')
                .Append(CultureInfo.InvariantCulture, $"{sheetUrl}#xywh={x},{y},{Tile.Width},{Tile.Height}").Append('\n');
        }

        return vtt.ToString();
    }

    /// <summary>hh:mm:ss.ttt, hours as many digits as needed (WebVTT §4.2 timestamps).</summary>
    public static string Timestamp(double seconds)
    {
        var milliseconds = (long)Math.Round(seconds * 1000, MidpointRounding.AwayFromZero);
        var time = TimeSpan.FromMilliseconds(milliseconds);
        return string.Create(CultureInfo.InvariantCulture, $"{(long)time.TotalHours:00}:{time.Minutes:00}:{time.Seconds:00}.{time.Milliseconds:000}");
    }
}
