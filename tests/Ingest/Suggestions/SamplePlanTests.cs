using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Renditions;
using Enforcement.Media.Ingest.Media.Suggestions;
using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Tests.Ingest.Suggestions;

public sealed class SamplePlanTests
{
    private static ProbeResult Probe(MediaKind kind, VideoStreamInfo? video, string? unplayable = null, double? duration = 30) => new(
        new MediaProbe(kind, "mov,mp4,m4a,3gp,3g2,mj2", null, duration, null, 2, video, new AudioStreamInfo(1, "aac", null, 2, 48000), null, null),
        unplayable,
        null,
        null,
        "5.1");

    private static VideoStreamInfo Video(int width, int height, int rotation = 0) =>
        new(0, "h264", "High", "yuv420p", 8, width, height, rotation, "30/1", "30/1", 30, false, "progressive", false);

    [Fact]
    public void A_rotated_video_is_examined_at_its_upright_size_scaled_to_the_frame_width()
    {
        var plan = SamplePlan.For(Probe(MediaKind.Video, Video(1920, 1080, rotation: 90)), 1, new SuggestionOptions());

        Assert.Equal(new FrameSize(640, 1138), plan.Size);
        Assert.Equal((false, 30.0, 0), (plan.Photo, plan.DurationSeconds, plan.VideoStream));
    }

    [Fact]
    public void A_small_picture_is_not_enlarged_and_a_photo_has_no_duration()
    {
        var plan = SamplePlan.For(Probe(MediaKind.Photo, Video(320, 240)), 1, new SuggestionOptions());

        Assert.Equal(new FrameSize(320, 240), plan.Size);
        Assert.True(plan.Photo);
        Assert.Null(plan.DurationSeconds);
    }

    [Fact]
    public void Audio_only_and_unplayable_recordings_say_why_there_is_nothing_to_examine()
    {
        var audio = Assert.Throws<SuggestionFailedException>(() => SamplePlan.For(Probe(MediaKind.Audio, null), 1, new SuggestionOptions()));
        var broken = Assert.Throws<SuggestionFailedException>(() => SamplePlan.For(Probe(MediaKind.Unknown, null, "no moov atom"), 1, new SuggestionOptions()));

        Assert.Contains("no picture", audio.Message, StringComparison.Ordinal);
        Assert.EndsWith("no moov atom", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chunk_takes_the_frame_shown_at_each_sample_time_and_writes_raw_grey_frames_to_stdout()
    {
        var plan = SamplePlan.For(Probe(MediaKind.Video, Video(1280, 720)), 0.5, new SuggestionOptions());

        var arguments = SampleArguments.Chunk(new MediaOptions(), "http://127.0.0.1:1/o/token", plan, 60, 120);

        Assert.Equal(["-ss", "60", "-t", "60", "-i", "http://127.0.0.1:1/o/token"], arguments.SkipWhile(a => a != "-ss").Take(6));
        Assert.Contains("fps=fps=1/0.5:round=up,scale=640:360", arguments);
        Assert.Equal(["-frames:v", "120", "-pix_fmt", "gray", "-f", "rawvideo", "pipe:1"], arguments.TakeLast(7));
        Assert.Contains("-format_whitelist", arguments);
        Assert.Equal(32 * 1024 * 1024 / (640 * 360), plan.SamplesPerChunk);
    }
}
