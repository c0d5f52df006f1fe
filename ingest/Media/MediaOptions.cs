namespace Enforcement.Media.Ingest.Media;

/// <summary>Configuration section <c>Media</c>: the ffmpeg/ffprobe tools and what they may read.</summary>
public sealed class MediaOptions
{
    public const string Section = "Media";

    /// <summary>The ffmpeg executable: a name on PATH (Debian's <c>ffmpeg</c> package) or a full path.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>After asking ffmpeg to stop (<c>q</c> on stdin), how long it may take to finish its output before it is killed.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Demuxers ffmpeg/ffprobe may use on an original (<c>-format_whitelist</c>). Originals are untrusted
    /// input: without a list, a file holding an HLS playlist or a concat script would make ffmpeg fetch
    /// other URLs or local files. Everything a recorder, phone or camera produces is here.
    /// </summary>
    public string InputFormats { get; set; } =
        "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,mpeg,mpegvideo,flv,asf,wav,w64,aiff,caf,mp3,aac,flac,ogg,amr,"
        + "h264,hevc,m4v,mjpeg,dv,image2,jpeg_pipe,png_pipe,webp_pipe,bmp_pipe,tiff_pipe,gif,gif_pipe,heif";

    /// <summary>
    /// The largest playback rendition, in lines: the shorter side at most this, the longer at most 16/9 of
    /// it (1080 → 1920×1080 landscape, 1080×1920 portrait). Larger sources are transcoded down to it.
    /// </summary>
    public int MaxLines { get; set; } = 1080;

    /// <summary>
    /// The longest side of a photo's viewing copy, in pixels. Larger than a video's frame: a reviewer zooms
    /// into a photo to read a plate or a document in it, so it is shrunk only when it is very large.
    /// </summary>
    public int PhotoMaxSide { get; set; } = 4096;

    /// <summary>x264 preset for transcodes: speed against size at the same quality.</summary>
    public string X264Preset { get; set; } = "veryfast";

    /// <summary>x264 constant rate factor for transcodes (lower is better quality, 23 is x264's default).</summary>
    public int X264Crf { get; set; } = 23;

    public int AudioBitrateKbps { get; set; } = 128;

    /// <summary>Where ffmpeg writes a derivative before it is streamed into the store. Default: a folder under the system temp directory.</summary>
    public string? WorkFolder { get; set; }

    /// <summary>Attempts of a rendition or thumbnails job before it is marked failed for good.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The poster fits in a square of this many pixels.</summary>
    public int PosterMaxSize { get; set; } = 640;

    /// <summary>Each tile of the scrubbing sprite fits in a square of this many pixels.</summary>
    public int SpriteTileSize { get; set; } = 160;

    /// <summary>At most this many tiles: longer recordings get a longer interval between tiles.</summary>
    public int SpriteMaxTiles { get; set; } = 100;

    public int SpriteColumns { get; set; } = 10;

    /// <summary>
    /// Decode only keyframes for the sprite: many times faster on long recordings, and recorders put a
    /// keyframe every second or two; with long GOPs neighbouring tiles may show the same frame.
    /// </summary>
    public bool SpriteKeyframesOnly { get; set; } = true;

    /// <summary>
    /// The font publication watermarks are drawn in: Noto Sans CJK (Debian's <c>fonts-noto-cjk</c>), so
    /// Chinese, Japanese, Korean and Latin text all render. A collection's first face is used.
    /// </summary>
    public string WatermarkFont { get; set; } = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

    public string ResolvedWorkFolder => WorkFolder ?? Path.Combine(Path.GetTempPath(), "enforcement-media-work");
}
