using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Probing;
using Enforcement.Media.Ingest.Media.Renditions;
using Enforcement.Media.Ingest.Media.Thumbnails;

namespace Enforcement.Media.Tests.Ingest.Media;

public sealed class ThumbnailPlanTests
{
    private static readonly MediaOptions Defaults = new();

    private static ThumbnailPlan Plan(string fixture) => ThumbnailPlan.For(FfprobeParser.Parse(FfprobeFixtures.Read(fixture)), Defaults);

    [Fact]
    public void Video_gets_a_poster_a_tenth_in_and_a_sprite()
    {
        var plan = Plan("h264-aac-moov-at-end.mp4");

        Assert.Equal((ThumbnailPlan.Frame, 0, new FrameSize(320, 240)), (plan.PosterMethod, plan.Stream, plan.PosterSize));
        Assert.Equal(0.2, plan.PosterAtSeconds, 3);
        Assert.Equal(new SpriteLayout(1, 2, 2, new FrameSize(160, 120), plan.Sprite!.DurationSeconds), plan.Sprite);
    }

    [Fact]
    public void A_rotated_clip_gets_upright_thumbnails()
    {
        var plan = Plan("portrait-rotated-90.mp4");

        Assert.Equal(new FrameSize(240, 320), plan.PosterSize);
        Assert.Equal(new FrameSize(120, 160), plan.Sprite!.Tile);
    }

    [Fact]
    public void A_photo_gets_only_a_poster_and_audio_a_waveform()
    {
        var photo = Plan("photo.jpg");
        var audio = Plan("aac-audio-only.m4a");

        Assert.Equal((ThumbnailPlan.Photo, new FrameSize(640, 480), null), (photo.PosterMethod, photo.PosterSize, photo.Sprite));
        Assert.Equal((ThumbnailPlan.Waveform, new FrameSize(640, 160), null), (audio.PosterMethod, audio.PosterSize, audio.Sprite));
    }

    [Fact]
    public void Nothing_is_planned_for_a_file_without_streams() =>
        Assert.Null(Plan("zero-duration.mp4").PosterMethod);

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(3.0, 0.3)]
    [InlineData(600.0, 10.0)]
    public void The_poster_comes_a_tenth_in_but_never_later_than_ten_seconds(double duration, double expected) =>
        Assert.Equal(expected, ThumbnailPlan.PosterTime(duration), 3);

    [Theory]
    [InlineData(2.0, 1, 2, 2, 1)]
    [InlineData(100.0, 1, 100, 10, 10)]
    [InlineData(101.0, 2, 51, 10, 6)]
    [InlineData(900.0, 9, 100, 10, 10)]
    [InlineData(3 * 3600.0, 108, 100, 10, 10)]
    [InlineData(0.4, 1, 1, 1, 1)]
    public void Sprites_keep_at_most_100_tiles_by_widening_the_interval(double duration, int interval, int count, int columns, int rows)
    {
        var layout = SpriteLayout.For(duration, new FrameSize(1920, 1080), Defaults);

        Assert.Equal((interval, count, columns, rows), (layout.IntervalSeconds, layout.Count, layout.Columns, layout.Rows));
        Assert.Equal(new FrameSize(columns * 160, rows * 90), layout.Sheet);
    }

    [Fact]
    public void The_webvtt_track_has_one_cue_per_tile_ending_at_the_recordings_end()
    {
        var layout = new SpriteLayout(2, 3, 2, new FrameSize(160, 90), 5.5);

        Assert.Equal(
            "WEBVTT\n\n"
            + "00:00:00.000 --> 00:00:02.000\nsprite.jpg#xywh=0,0,160,90\n\n"
            + "00:00:02.000 --> 00:00:04.000\nsprite.jpg#xywh=160,0,160,90\n\n"
            + "00:00:04.000 --> 00:00:05.500\nsprite.jpg#xywh=0,90,160,90\n",
            layout.ToWebVtt("sprite.jpg"));
    }

    [Theory]
    [InlineData(0.0, "00:00:00.000")]
    [InlineData(61.5, "00:01:01.500")]
    [InlineData(3600 * 27 + 0.001, "27:00:00.001")]
    public void Webvtt_timestamps_have_hours_minutes_seconds_and_milliseconds(double seconds, string expected) =>
        Assert.Equal(expected, SpriteLayout.Timestamp(seconds));
}
