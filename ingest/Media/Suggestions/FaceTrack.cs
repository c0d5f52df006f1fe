using OpenCvSharp;

namespace Enforcement.Media.Ingest.Media.Suggestions;

/// <summary>Sightings taken to be one face across consecutive samples, in time order.</summary>
public sealed class FaceTrack
{
    private readonly List<FaceSighting> _sightings = [];

    public FaceTrack(FaceSighting first) => _sightings.Add(first);

    public IReadOnlyList<FaceSighting> Sightings => _sightings;

    public FaceSighting Last => _sightings[^1];

    /// <summary>
    /// Where the face should be at <paramref name="sample"/> if it keeps moving as between its last two
    /// sightings: someone walking across the picture moves more than a face's width between samples.
    /// </summary>
    public Rect PredictedAt(int sample)
    {
        if (_sightings.Count < 2)
        {
            return Last.Box;
        }

        var (previous, last) = (_sightings[^2], _sightings[^1]);
        var steps = (double)(sample - last.Sample) / (last.Sample - previous.Sample);
        return new Rect(
            (int)Math.Round(last.Box.X + ((last.Box.X - previous.Box.X) * steps)),
            (int)Math.Round(last.Box.Y + ((last.Box.Y - previous.Box.Y) * steps)),
            last.Box.Width,
            last.Box.Height);
    }

    internal void Add(FaceSighting sighting) => _sightings.Add(sighting);
}
