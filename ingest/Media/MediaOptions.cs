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
}
