using OpenCvSharp;

namespace Enforcement.Media.Ingest.Media.Suggestions;

/// <summary>
/// Joins the faces found in consecutive samples into tracks. A face joins the open track whose last box
/// (or whose box moved on at its last speed) is nearest, within a face's width and of a like size; pairs
/// are taken nearest first, so two faces side by side keep their own tracks. A track not seen for more
/// than <see cref="MaxMissedSamples"/> samples is closed: the cascades miss a face now and then (a blink,
/// a turn of the head), and the spec's key positions interpolate over the gap.
/// </summary>
public sealed class FaceTracker
{
    public const int MaxMissedSamples = 2;

    /// <summary>Centre distance, in face widths, beyond which a face is not the same as a track's.</summary>
    public const double MaxStepInWidths = 1.0;

    /// <summary>A face this many times larger or smaller than the track's last box is someone else (or the same person much nearer).</summary>
    public const double MaxSizeRatio = 2.0;

    private readonly List<FaceTrack> _open = [];
    private readonly List<FaceTrack> _closed = [];

    /// <summary>The faces of sample <paramref name="sample"/> (samples are added in order).</summary>
    public void Add(int sample, double seconds, IReadOnlyList<Rect> faces)
    {
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            if (sample - _open[i].Last.Sample > MaxMissedSamples + 1)
            {
                _closed.Add(_open[i]);
                _open.RemoveAt(i);
            }
        }

        var pairs = new List<(double Distance, FaceTrack Track, int Face)>();
        foreach (var track in _open)
        {
            for (var f = 0; f < faces.Count; f++)
            {
                if (Distance(track, sample, faces[f]) is { } distance)
                {
                    pairs.Add((distance, track, f));
                }
            }
        }

        var takenTracks = new HashSet<FaceTrack>();
        var takenFaces = new HashSet<int>();
        foreach (var (_, track, face) in pairs.OrderBy(p => p.Distance))
        {
            if (!takenTracks.Contains(track) && !takenFaces.Contains(face))
            {
                track.Add(new FaceSighting(sample, seconds, faces[face]));
                takenTracks.Add(track);
                takenFaces.Add(face);
            }
        }

        for (var f = 0; f < faces.Count; f++)
        {
            if (!takenFaces.Contains(f))
            {
                _open.Add(new FaceTrack(new FaceSighting(sample, seconds, faces[f])));
            }
        }
    }

    /// <summary>Every track, in the order each was first seen.</summary>
    public IReadOnlyList<FaceTrack> Tracks() =>
        [.. _closed.Concat(_open).OrderBy(t => t.Sightings[0].Sample).ThenBy(t => t.Sightings[0].Box.X)];

    /// <summary>How far the face is from where the track is or is heading, in face widths; null when it is not a candidate at all.</summary>
    private static double? Distance(FaceTrack track, int sample, Rect face)
    {
        var last = track.Last.Box;
        var ratio = (double)Math.Max(last.Width, face.Width) / Math.Max(1, Math.Min(last.Width, face.Width));
        if (ratio > MaxSizeRatio)
        {
            return null;
        }

        var width = Math.Max(last.Width, face.Width);
        var distance = Math.Min(Boxes.CentreDistance(last, face), Boxes.CentreDistance(track.PredictedAt(sample), face)) / width;
        return distance <= MaxStepInWidths || Boxes.Overlap(last, face) >= 0.3 ? distance : null;
    }
}
