namespace Enforcement.Media.Ingest.Media.Renditions;

/// <summary>Width × height in pixels, as displayed (upright).</summary>
public readonly record struct FrameSize(int Width, int Height)
{
    public override string ToString() => $"{Width}x{Height}";

    /// <summary>
    /// The largest size with this aspect ratio that fits in <paramref name="maxWidth"/> × <paramref name="maxHeight"/>,
    /// never enlarged, both sides even (H.264 4:2:0 needs even dimensions).
    /// </summary>
    public FrameSize FitWithin(int maxWidth, int maxHeight)
    {
        var scale = Math.Min(1.0, Math.Min((double)maxWidth / Width, (double)maxHeight / Height));
        return new FrameSize(Even(Width * scale), Even(Height * scale));
    }

    private static int Even(double value)
    {
        var rounded = (int)Math.Round(value, MidpointRounding.AwayFromZero);
        return Math.Max(2, rounded - (rounded % 2));
    }
}
