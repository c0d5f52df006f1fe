using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Probing;
using Enforcement.Media.Ingest.Media.Renditions;
using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>Remux or transcode, decided from probes of real files (tests/Fixtures/ffprobe) and variations of them.</summary>
public sealed class RenditionPolicyTests
{
    private static readonly MediaOptions Defaults = new();

    private static RenditionPlan Plan(string fixture) => RenditionPolicy.Plan(FfprobeParser.Parse(FfprobeFixtures.Read(fixture)), Defaults);

    private static MediaProbe Recorder(Func<VideoStreamInfo, VideoStreamInfo>? video = null, AudioStreamInfo? audio = null)
    {
        var probe = FfprobeParser.Parse(FfprobeFixtures.Read("h264-aac-moov-at-end.mp4"));
        return probe with { Video = video is null ? probe.Video : video(probe.Video!), Audio = audio ?? probe.Audio };
    }

    [Fact]
    public void H264_with_aac_is_remuxed_with_both_streams_copied()
    {
        var plan = Plan("h264-aac-moov-at-end.mp4");

        Assert.Equal(RenditionMethod.Remux, plan.Method);
        Assert.Equal((0, 1, true, true, false), (plan.VideoStream, plan.AudioStream, plan.CopyVideo, plan.CopyAudio, plan.Deinterlace));
        Assert.Null(plan.Size);
        Assert.Empty(plan.Reasons);
        Assert.True(plan.IsCheap);
    }

    [Fact]
    public void Variable_frame_rate_h264_is_remuxed_because_mp4_keeps_each_frames_time()
    {
        Assert.Equal(RenditionMethod.Remux, Plan("h264-vfr.mp4").Method);
    }

    [Fact]
    public void Hevc_10_bit_is_transcoded_at_its_own_size()
    {
        var plan = Plan("hevc-10bit-aac.mkv");

        Assert.Equal(RenditionMethod.Transcode, plan.Method);
        Assert.False(plan.CopyVideo);
        Assert.True(plan.CopyAudio);
        Assert.Equal(new FrameSize(320, 240), plan.Size);
        Assert.Contains("video is hevc, not H.264", plan.Reasons);
        Assert.Contains("pixel format is yuv420p10le, not 8-bit 4:2:0", plan.Reasons);
        Assert.False(plan.IsCheap);
    }

    [Fact]
    public void Mjpeg_with_pcm_transcodes_both()
    {
        var plan = Plan("mjpeg-pcm.avi");

        Assert.Equal((RenditionMethod.Transcode, false, false), (plan.Method, plan.CopyVideo, plan.CopyAudio));
        Assert.Equal(["video is mjpeg, not H.264", "audio is pcm_s16le, not AAC"], plan.Reasons);
    }

    [Fact]
    public void Interlaced_h264_is_transcoded_and_deinterlaced()
    {
        var plan = Plan("h264-interlaced.mp4");

        Assert.Equal((RenditionMethod.Transcode, true), (plan.Method, plan.Deinterlace));
        Assert.Contains("video is interlaced (tt)", plan.Reasons);
    }

    [Fact]
    public void A_rotated_phone_clip_is_transcoded_to_upright_pixels()
    {
        var plan = Plan("portrait-rotated-90.mp4");

        Assert.Equal(RenditionMethod.Transcode, plan.Method);
        Assert.Equal(new FrameSize(240, 320), plan.Size);
        Assert.Equal(["video is stored rotated by 90°"], plan.Reasons);
    }

    [Fact]
    public void Audio_only_aac_is_remuxed_and_other_audio_becomes_aac()
    {
        var aac = Plan("aac-audio-only.m4a");
        var mp3 = Plan("mp3-with-cover-art.mp3");

        Assert.Equal((RenditionMethod.Remux, null, 0, true), (aac.Method, aac.VideoStream, aac.AudioStream, aac.CopyAudio));
        Assert.Equal((RenditionMethod.Transcode, null, 0, false), (mp3.Method, mp3.VideoStream, mp3.AudioStream, mp3.CopyAudio));
        Assert.True(mp3.IsCheap);
    }

    [Fact]
    public void Unplayable_files_get_no_rendition() =>
        Assert.Equal(RenditionPlan.Nothing, Plan("zero-duration.mp4"));

    [Fact]
    public void A_photo_gets_a_still_its_own_size()
    {
        var plan = Plan("photo.jpg");

        Assert.Equal((RenditionMethod.Still, 0, null, null), (plan.Method, plan.VideoStream, plan.AudioStream, plan.Size));
    }

    [Theory]
    [InlineData(3840, 2160, 1920, 1080)]
    [InlineData(2160, 3840, 1080, 1920)]
    [InlineData(2560, 1440, 1920, 1080)]
    [InlineData(1440, 1080, 1440, 1080)]
    [InlineData(4096, 2160, 1920, 1012)]
    public void Oversized_h264_is_transcoded_down_to_fit_1080p_in_its_own_orientation(int width, int height, int expectedWidth, int expectedHeight)
    {
        var plan = RenditionPolicy.Plan(Recorder(v => v with { Width = width, Height = height }), Defaults);

        var copied = width <= 1920 && height <= 1920 && Math.Min(width, height) <= 1080;
        Assert.Equal(copied ? RenditionMethod.Remux : RenditionMethod.Transcode, plan.Method);
        Assert.Equal(copied ? null : new FrameSize(expectedWidth, expectedHeight), plan.Size);
    }

    [Fact]
    public void The_maximum_is_configurable()
    {
        var plan = RenditionPolicy.Plan(Recorder(v => v with { Width = 1920, Height = 1080 }), new MediaOptions { MaxLines = 720 });

        Assert.Equal((RenditionMethod.Transcode, new FrameSize(1280, 720)), (plan.Method, plan.Size));
    }

    [Fact]
    public void H264_with_pcm_audio_keeps_its_video_and_encodes_only_the_audio()
    {
        var plan = RenditionPolicy.Plan(Recorder(audio: new AudioStreamInfo(1, "pcm_s16le", null, 6, 48000)), Defaults);

        Assert.Equal((RenditionMethod.Transcode, true, false, true), (plan.Method, plan.CopyVideo, plan.CopyAudio, plan.DownmixToStereo));
        Assert.True(plan.IsCheap);
    }

    [Theory]
    [InlineData("yuv422p", 8)]
    [InlineData("yuv444p", 8)]
    [InlineData("yuv420p10le", 10)]
    public void Other_pixel_formats_are_transcoded_even_in_h264(string pixelFormat, int bitDepth)
    {
        var plan = RenditionPolicy.Plan(Recorder(v => v with { PixelFormat = pixelFormat, BitDepth = bitDepth }), Defaults);

        Assert.Equal(RenditionMethod.Transcode, plan.Method);
    }

    [Fact]
    public void Odd_dimensions_are_made_even_for_4_2_0()
    {
        Assert.Equal(new FrameSize(320, 240), new FrameSize(321, 241).FitWithin(1920, 1080));
        Assert.Equal(new FrameSize(2, 2), new FrameSize(1, 1).FitWithin(1920, 1080));
    }
}
