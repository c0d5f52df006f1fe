using OpenCvSharp;

namespace Enforcement.Media.Ingest.Media.Suggestions;

/// <summary>Rectangle arithmetic for detections, in pixels of the sampled frame.</summary>
public static class Boxes
{
    /// <summary>Intersection over union: 1 for the same box, 0 for boxes that do not touch.</summary>
    public static double Overlap(Rect a, Rect b)
    {
        var intersection = a & b;
        if (intersection.Width <= 0 || intersection.Height <= 0)
        {
            return 0;
        }

        double shared = intersection.Width * intersection.Height;
        return shared / ((a.Width * a.Height) + (b.Width * b.Height) - shared);
    }

    /// <summary>Distance between the boxes' centres, in pixels.</summary>
    public static double CentreDistance(Rect a, Rect b)
    {
        var dx = (a.X + (a.Width / 2.0)) - (b.X + (b.Width / 2.0));
        var dy = (a.Y + (a.Height / 2.0)) - (b.Y + (b.Height / 2.0));
        return Math.Sqrt((dx * dx) + (dy * dy));
    }

    /// <summary>True when the boxes are taken to be the same face: they overlap well, or one's centre lies inside the other.</summary>
    public static bool SameFace(Rect a, Rect b) =>
        Overlap(a, b) >= 0.3 || a.Contains(Centre(b)) || b.Contains(Centre(a));

    /// <summary>
    /// Boxes of the same face (transitively) become one box covering them all: covering a little too much
    /// is the safe error for a redaction.
    /// </summary>
    public static IReadOnlyList<Rect> Merge(IReadOnlyList<Rect> boxes)
    {
        var merged = new List<Rect>();
        foreach (var box in boxes)
        {
            var current = box;
            for (var i = merged.Count - 1; i >= 0; i--)
            {
                if (SameFace(merged[i], current))
                {
                    current |= merged[i];
                    merged.RemoveAt(i);
                    i = merged.Count;
                }
            }

            merged.Add(current);
        }

        return merged;
    }

    private static Point Centre(Rect box) => new(box.X + (box.Width / 2), box.Y + (box.Height / 2));
}
