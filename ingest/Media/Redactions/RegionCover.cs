using Enforcement.Media.Storage.Redactions;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// Turns a region's key positions into <see cref="RegionRun"/>s. ffmpeg's crop has one size per filter
/// instance while a region's size may change from key to key, so the keys are split into runs in which
/// the size changes little, and each run is covered by its largest size centred on the region's moving
/// centre: never less than what was drawn (over-covering is the safe error). Boxes are whole even pixels
/// (4:2:0 chroma), at least <see cref="MinimumPixels"/>, and with a margin for rounding their position
/// down to even pixels.
/// </summary>
public static class RegionCover
{
    /// <summary>No box is smaller: a blur needs room to hide anything.</summary>
    public const int MinimumPixels = 16;

    /// <summary>Each side of a rectangle's box, for the position rounded down to even pixels (up to 2 px).</summary>
    public const int MarginPixels = 2;

    /// <summary>A run's position is one nested expression per key: this bounds its depth and the work per frame.</summary>
    public const int MaxKeysPerRun = 64;

    public static IReadOnlyList<RegionRun> Runs(RedactionRegion region, int frameWidth, int frameHeight, double sizeTolerance)
    {
        var keys = region.KeyframeList;
        if (keys.Count == 0)
        {
            return [];
        }

        var (from, to) = Window(region);
        var ellipse = region.Shape == RedactionRegion.Ellipse;
        var runs = new List<RegionRun>();
        var start = 0;
        while (true)
        {
            var stop = LastKeyOfRun(keys, start, sizeTolerance);
            var spanFrom = start == 0 ? double.NegativeInfinity : keys[start].T;
            var spanTo = stop == keys.Count - 1 ? double.PositiveInfinity : keys[stop].T;
            var (runFrom, runTo) = (Math.Max(spanFrom, from), Math.Min(spanTo, to));
            if (runFrom <= runTo)
            {
                runs.Add(Cover(keys, start, stop, runFrom, runTo, frameWidth, frameHeight, ellipse));
            }

            if (stop >= keys.Count - 1)
            {
                return runs;
            }

            start = stop;
        }
    }

    /// <summary>When the region is shown: from its <c>from</c> (or first key) to its <c>to</c> (or last key; the end of the recording when it has one key).</summary>
    public static (double From, double To) Window(RedactionRegion region)
    {
        var keys = region.KeyframeList;
        return (region.From ?? keys[0].T, region.To ?? (keys.Count == 1 ? double.PositiveInfinity : keys[^1].T));
    }

    /// <summary>The keys from <paramref name="start"/> on whose widths and heights stay within the tolerance (largest ≤ smallest × tolerance); at least one segment.</summary>
    private static int LastKeyOfRun(IReadOnlyList<RegionKeyframe> keys, int start, double tolerance)
    {
        if (start == keys.Count - 1)
        {
            return start;
        }

        double minW = keys[start].W, maxW = minW, minH = keys[start].H, maxH = minH;
        var stop = start + 1;
        while (true)
        {
            var key = keys[stop];
            (minW, maxW, minH, maxH) = (Math.Min(minW, key.W), Math.Max(maxW, key.W), Math.Min(minH, key.H), Math.Max(maxH, key.H));
            if (stop > start + 1 && (maxW > minW * tolerance || maxH > minH * tolerance))
            {
                return stop - 1;
            }

            if (stop == keys.Count - 1 || stop - start + 1 == MaxKeysPerRun)
            {
                return stop;
            }

            stop++;
        }
    }

    private static RegionRun Cover(IReadOnlyList<RegionKeyframe> keys, int start, int stop, double from, double to, int frameWidth, int frameHeight, bool ellipse)
    {
        double boxW = 0, boxH = 0;
        for (var i = start; i <= stop; i++)
        {
            var (w, h) = (keys[i].W * frameWidth, keys[i].H * frameHeight);
            if (ellipse)
            {
                // The ellipse drawn in the box is centred on the box, whose position is rounded down by up to
                // 2 px: an ellipse with semi-axes a, b moved by (dx, dy) stays inside one with semi-axes
                // k·a, k·b when k ≥ 1 + √((dx/a)² + (dy/b)²). Growing each semi-axis by 2√(1 + (a/b)²) (and
                // b's by 2√(1 + (b/a)²)) gives that k for moves of up to 2 px either way.
                var (a, b) = (Math.Max(w, 1) / 2, Math.Max(h, 1) / 2);
                boxW = Math.Max(boxW, 2 * (a + (2 * Math.Sqrt(1 + ((a / b) * (a / b)))) + 1));
                boxH = Math.Max(boxH, 2 * (b + (2 * Math.Sqrt(1 + ((b / a) * (b / a)))) + 1));
            }
            else
            {
                boxW = Math.Max(boxW, w + (2 * MarginPixels));
                boxH = Math.Max(boxH, h + (2 * MarginPixels));
            }
        }

        var width = BoxSide(boxW, frameWidth);
        var height = BoxSide(boxH, frameHeight);
        var runKeys = new List<RunKey>(stop - start + 1);
        var fits = true;
        for (var i = start; i <= stop; i++)
        {
            var key = keys[i];
            var left = ((key.X + (key.W / 2)) * frameWidth) - (width / 2.0);
            var top = ((key.Y + (key.H / 2)) * frameHeight) - (height / 2.0);
            runKeys.Add(new RunKey(key.T, left, top));

            // The centre moves linearly between keys, so a box inside the frame at every key is inside in between.
            fits &= left >= 0 && top >= 0 && left + width <= frameWidth && top + height <= frameHeight;
        }

        // A box pushed back inside the frame is no longer centred on the region, and the ellipse drawn in it
        // could leave part of the region's ellipse out: such a run is covered whole, as a rectangle.
        return new RegionRun(from, to, width, height, runKeys, ellipse && fits);
    }

    /// <summary>Whole even pixels, at least the minimum, at most the frame (itself even).</summary>
    private static int BoxSide(double pixels, int frame)
    {
        var side = (int)Math.Ceiling(pixels - 1e-9);
        side += side & 1;
        return Math.Min(Math.Max(side, MinimumPixels), frame);
    }
}
