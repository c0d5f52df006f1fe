using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Derivatives;
using Enforcement.Media.Ingest.Media.Probing;
using Enforcement.Media.Ingest.Media.Renditions;
using Enforcement.Media.Ingest.Media.Thumbnails;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>The exact ffmpeg argument lists: they are the provenance, so they must be stable and complete.</summary>
public sealed class MediaArgumentsTests
{
    private static readonly MediaOptions Defaults = new() { InputFormats = "mov,mp4" };

    private static RenditionPlan Plan(string fixture) => RenditionPolicy.Plan(FfprobeParser.Parse(FfprobeFixtures.Read(fixture)), Defaults);

    [Fact]
    public void A_remux_copies_both_streams_into_a_faststart_mp4()
    {
        var arguments = RenditionArguments.Build(Plan("h264-aac-moov-at-end.mp4"), Defaults, "IN", "OUT");

        Assert.Equal(
            [
                "-hide_banner", "-nostats", "-v", "warning", "-format_whitelist", "mov,mp4", "-i", "IN",
                "-map", "0:0", "-map", "0:1", "-c:v", "copy", "-c:a", "copy",
                "-map_chapters", "-1", "-max_muxing_queue_size", "4096", "-movflags", "+faststart", "-f", "mp4", "OUT",
            ],
            arguments);
    }

    [Fact]
    public void A_transcode_deinterlaces_scales_and_encodes_h264_yuv420p_keeping_each_frames_time()
    {
        var arguments = RenditionArguments.Build(Plan("h264-interlaced.mp4"), new MediaOptions { InputFormats = "mov,mp4", X264Preset = "medium", X264Crf = 20 }, "IN", "OUT");

        Assert.Equal(
            [
                "-hide_banner", "-nostats", "-v", "warning", "-format_whitelist", "mov,mp4", "-i", "IN",
                "-map", "0:0",
                "-vf", "yadif=mode=send_frame,scale=320:240", "-c:v", "libx264", "-preset", "medium", "-crf", "20", "-profile:v", "high", "-pix_fmt", "yuv420p",
                "-fps_mode", "passthrough",
                "-map_chapters", "-1", "-max_muxing_queue_size", "4096", "-movflags", "+faststart", "-f", "mp4", "OUT",
            ],
            arguments);
    }

    [Fact]
    public void Pcm_audio_is_encoded_to_aac_at_the_configured_rate()
    {
        var arguments = RenditionArguments.Build(Plan("mjpeg-pcm.avi"), new MediaOptions { AudioBitrateKbps = 96 }, "IN", "OUT");

        Assert.Equal(["-c:a", "aac", "-b:a", "96k"], arguments.SkipWhile(a => a != "-c:a").Take(4));
    }

    [Fact]
    public void The_sprite_holds_the_last_frame_and_tiles_exactly_the_planned_count()
    {
        var layout = SpriteLayout.For(25, new FrameSize(1920, 1080), new MediaOptions());

        var arguments = ThumbnailArguments.Sprite(Defaults, "IN", 0, layout, "OUT");

        Assert.Equal(["-skip_frame", "nokey"], arguments.Take(2));
        Assert.Contains("tpad=stop_mode=clone:stop_duration=2,fps=1/1,scale=160:90,tile=10x3:nb_frames=25", arguments);
        Assert.Equal("OUT", arguments[^1]);
    }

    [Fact]
    public void A_poster_seeks_before_opening_the_input_so_ffmpeg_jumps_there_by_range_requests()
    {
        var arguments = ThumbnailArguments.VideoPoster(Defaults, "IN", 0, 4.25, new FrameSize(640, 360), "OUT");

        Assert.True(arguments.ToList().IndexOf("-ss") < arguments.ToList().IndexOf("-i"));
        Assert.Equal("4.25", arguments[arguments.ToList().IndexOf("-ss") + 1]);
        Assert.Contains("scale=640:360", arguments);
    }

    [Fact]
    public void Provenance_names_the_original_by_its_hash_and_the_output_by_its_file_name()
    {
        var recorded = DerivativeMaker.Recorded(["-i", "http://127.0.0.1:4711/o/secret", "-f", "mp4", "/tmp/work/job-1/playback.mp4"], "http://127.0.0.1:4711/o/secret", "/tmp/work/job-1/playback.mp4", "playback.mp4", new string('a', 64));

        Assert.Equal(["-i", $"original:sha256:{new string('a', 64)}", "-f", "mp4", "playback.mp4"], recorded);
    }
}
