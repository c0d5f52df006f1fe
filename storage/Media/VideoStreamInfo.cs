namespace Enforcement.Media.Storage.Media;

/// <summary>The main video stream as ffprobe reported it.</summary>
/// <param name="Rotation">Degrees clockwise the picture must be turned to display upright: 0, 90, 180 or 270.</param>
/// <param name="AvgFrameRate">ffprobe's <c>avg_frame_rate</c> as a fraction, e.g. <c>30000/1001</c>.</param>
/// <param name="RealFrameRate">ffprobe's <c>r_frame_rate</c>: the lowest rate all timestamps fit.</param>
/// <param name="VariableFrameRate">True when the average and real rates differ noticeably — a heuristic, as ffprobe does not say.</param>
public sealed record VideoStreamInfo(
    int Index,
    string Codec,
    string? Profile,
    string? PixelFormat,
    int? BitDepth,
    int Width,
    int Height,
    int Rotation,
    string? AvgFrameRate,
    string? RealFrameRate,
    double? FramesPerSecond,
    bool VariableFrameRate,
    string? FieldOrder,
    bool Interlaced)
{
    /// <summary>Width as shown upright (after <see cref="Rotation"/>).</summary>
    public int DisplayWidth => Rotation is 90 or 270 ? Height : Width;

    public int DisplayHeight => Rotation is 90 or 270 ? Width : Height;
}
