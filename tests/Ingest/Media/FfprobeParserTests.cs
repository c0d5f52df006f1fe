using Enforcement.Media.Ingest.Media.Probing;
using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>The parser on JSON the real ffprobe 5.1 printed for lavfi-generated files (tests/Fixtures/ffprobe).</summary>
public sealed class FfprobeParserTests
{
    private static MediaProbe Parse(string fixture) => FfprobeParser.Parse(FfprobeFixtures.Read(fixture));

    [Fact]
    public void A_recorder_style_h264_aac_mp4_is_video_with_every_field_read()
    {
        var probe = Parse("h264-aac-moov-at-end.mp4");

        Assert.Equal(MediaKind.Video, probe.Kind);
        Assert.Equal("mov,mp4,m4a,3gp,3g2,mj2", probe.FormatName);
        Assert.Equal("QuickTime / MOV", probe.FormatLongName);
        Assert.Equal(2.0, probe.DurationSeconds!.Value, 2);
        Assert.True(probe.BitRate > 0);
        Assert.Equal(2, probe.StreamCount);
        var video = probe.Video!;
        Assert.Equal(("h264", "High", "yuv420p", 8), (video.Codec, video.Profile, video.PixelFormat, video.BitDepth));
        Assert.Equal((320, 240, 0), (video.Width, video.Height, video.Rotation));
        Assert.Equal(("30/1", "30/1", 30.0), (video.AvgFrameRate, video.RealFrameRate, video.FramesPerSecond));
        Assert.False(video.VariableFrameRate);
        Assert.Equal("progressive", video.FieldOrder);
        Assert.False(video.Interlaced);
        var audio = probe.Audio!;
        Assert.Equal(("aac", "LC", 1, 48000), (audio.Codec, audio.Profile, audio.Channels, audio.SampleRate));
        Assert.Null(probe.CreationTime);
        Assert.Null(probe.Location);
        Assert.Null(FfprobeParser.UnplayableReason(probe));
    }

    [Fact]
    public void A_portrait_phone_clip_turns_90_degrees_clockwise_to_display_upright()
    {
        var video = Parse("portrait-rotated-90.mp4").Video!;

        Assert.Equal(90, video.Rotation);
        Assert.Equal((320, 240), (video.Width, video.Height));
        Assert.Equal((240, 320), (video.DisplayWidth, video.DisplayHeight));
    }

    [Fact]
    public void Hevc_10_bit_in_matroska_reports_its_depth_from_the_pixel_format()
    {
        var probe = Parse("hevc-10bit-aac.mkv");

        Assert.Equal(MediaKind.Video, probe.Kind);
        Assert.Equal("matroska,webm", probe.FormatName);
        Assert.Equal(("hevc", "Main 10", "yuv420p10le", 10), (probe.Video!.Codec, probe.Video.Profile, probe.Video.PixelFormat, probe.Video.BitDepth));
        Assert.Equal("aac", probe.Audio!.Codec);
        Assert.Equal(2.0, probe.DurationSeconds!.Value, 1);
    }

    [Fact]
    public void An_old_recorders_mjpeg_avi_with_pcm_audio_is_video()
    {
        var probe = Parse("mjpeg-pcm.avi");

        Assert.Equal(MediaKind.Video, probe.Kind);
        Assert.Equal("avi", probe.FormatName);
        Assert.Equal(("mjpeg", "yuvj420p"), (probe.Video!.Codec, probe.Video.PixelFormat));
        Assert.Equal(("pcm_s16le", 8000, 1), (probe.Audio!.Codec, probe.Audio.SampleRate, probe.Audio.Channels));
    }

    [Fact]
    public void Interlaced_video_is_recognised_by_its_field_order()
    {
        var video = Parse("h264-interlaced.mp4").Video!;

        Assert.Equal("tt", video.FieldOrder);
        Assert.True(video.Interlaced);
    }

    [Fact]
    public void Variable_frame_rate_shows_as_average_and_real_rates_that_differ()
    {
        var video = Parse("h264-vfr.mp4").Video!;

        Assert.Equal(("225/17", "30/1"), (video.AvgFrameRate, video.RealFrameRate));
        Assert.True(video.VariableFrameRate);
        Assert.Equal(225.0 / 17, video.FramesPerSecond!.Value, 3);
    }

    [Fact]
    public void Audio_only_is_audio()
    {
        var probe = Parse("aac-audio-only.m4a");

        Assert.Equal(MediaKind.Audio, probe.Kind);
        Assert.Null(probe.Video);
        Assert.Equal("aac", probe.Audio!.Codec);
        Assert.Null(FfprobeParser.UnplayableReason(probe));
    }

    [Fact]
    public void Cover_art_does_not_make_an_audio_file_a_video()
    {
        var probe = Parse("mp3-with-cover-art.mp3");

        Assert.Equal(MediaKind.Audio, probe.Kind);
        Assert.Null(probe.Video);
        Assert.Equal("mp3", probe.Audio!.Codec);
    }

    [Theory]
    [InlineData("photo.jpg", "image2")]
    [InlineData("photo-over-http.jpg", "jpeg_pipe")]
    public void A_jpeg_is_a_photo_whether_read_from_a_file_or_over_http(string fixture, string format)
    {
        var probe = Parse(fixture);

        Assert.Equal(MediaKind.Photo, probe.Kind);
        Assert.Equal(format, probe.FormatName);
        Assert.Equal((640, 480), (probe.Video!.Width, probe.Video.Height));
        Assert.Null(FfprobeParser.UnplayableReason(probe));
    }

    [Fact]
    public void Creation_time_and_a_location_tag_are_read()
    {
        var probe = Parse("gps-creation-time.mp4");

        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero), probe.CreationTime);
        Assert.Equal(new GeoLocation("+37.7749-122.4194/", 37.7749, -122.4194, null), probe.Location);
    }

    [Fact]
    public void An_apple_iso6709_location_with_altitude_is_read()
    {
        Assert.Equal(new GeoLocation("+31.2304+121.4737+004.000/", 31.2304, 121.4737, 4.0), Parse("apple-location.mov").Location);
    }

    [Fact]
    public void A_file_with_no_streams_and_zero_duration_is_unplayable_for_both_reasons()
    {
        var probe = Parse("zero-duration.mp4");

        Assert.Equal(MediaKind.Unknown, probe.Kind);
        Assert.Equal(0, probe.StreamCount);
        Assert.Equal(0, probe.DurationSeconds);
        Assert.Equal("ffprobe found no streams at all and zero duration", FfprobeParser.UnplayableReason(probe));
    }

    [Fact]
    public void A_rotate_tag_that_is_not_a_number_is_ignored_and_the_rest_is_read()
    {
        // A Matroska tag anyone can write. FFMpegCore's own analysis throws on it, which would fail the probe.
        var probe = Parse("rotate-tag-not-a-number.mkv");

        Assert.Equal(MediaKind.Video, probe.Kind);
        Assert.Equal(("h264", 320, 240, 0), (probe.Video!.Codec, probe.Video.Width, probe.Video.Height, probe.Video.Rotation));
        Assert.Equal(2.0, probe.DurationSeconds!.Value, 2);
        Assert.Null(FfprobeParser.UnplayableReason(probe));
    }

    [Fact]
    public void An_elementary_h264_stream_has_an_unknown_duration_not_a_zero_one_and_is_playable()
    {
        var probe = Parse("h264-elementary-stream.h264");

        Assert.Equal(MediaKind.Video, probe.Kind);
        Assert.Equal("h264", probe.FormatName);
        Assert.Null(probe.DurationSeconds);
        Assert.Equal(("30/1", 30.0), (probe.Video!.AvgFrameRate, probe.Video.FramesPerSecond));
        Assert.Null(FfprobeParser.UnplayableReason(probe));
    }

    [Fact]
    public void Odd_values_degrade_to_unknown_instead_of_failing()
    {
        const string json = """
            {
              "streams": [
                { "index": 0, "codec_type": "video", "codec_name": "h264", "width": 1920, "height": 1080,
                  "r_frame_rate": "0/0", "avg_frame_rate": "N/A", "bits_per_raw_sample": "N/A",
                  "tags": { "CREATION_TIME": "not a time", "rotate": "180" } }
              ],
              "format": { "format_name": "mpegts", "duration": "N/A", "bit_rate": "N/A" }
            }
            """;

        var probe = FfprobeParser.Parse(json);

        Assert.Equal(MediaKind.Video, probe.Kind);
        Assert.Null(probe.DurationSeconds);
        Assert.Null(probe.BitRate);
        Assert.Null(probe.CreationTime);
        Assert.Null(probe.Video!.FramesPerSecond);
        Assert.False(probe.Video.VariableFrameRate);
        Assert.Null(probe.Video.BitDepth);
        Assert.Equal(180, probe.Video.Rotation);
        Assert.Equal(1, probe.StreamCount);
        Assert.Null(FfprobeParser.UnplayableReason(probe));
    }

    [Fact]
    public void Only_data_streams_is_unplayable()
    {
        const string json = """{ "streams": [ { "index": 0, "codec_type": "data" } ], "format": { "nb_streams": 1, "format_name": "mpegts", "duration": "5.0" } }""";

        Assert.Equal("ffprobe found no audio or video stream", FfprobeParser.UnplayableReason(FfprobeParser.Parse(json)));
    }
}
