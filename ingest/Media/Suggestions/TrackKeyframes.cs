using Enforcement.Media.Storage.Redactions;
using OpenCvSharp;

namespace Enforcement.Media.Ingest.Media.Suggestions;

/// <summary>
/// Turns a track into suggestions in the redaction spec's shape: key positions as fractions of the
/// upright picture, each box padded and clamped to the picture, and the track held one sample interval
/// before its first sighting and after its last. Every choice here errs towards covering too much: the
/// face was somewhere in view between the sample that missed it and the one that found it.
/// </summary>
public static class TrackKeyframes
{
    /// <summary>Added on each side, as a fraction of the box: the cascades box the eyes to the mouth, not the hair, ears or chin.</summary>
    public const double Padding = 0.15;

    /// <summary>Coordinates are rounded outwards to this many decimals (a ten-thousandth of the picture).</summary>
    private const int Decimals = 4;

    public static IReadOnlyList<SuggestionFinding> Findings(FaceTrack track, SamplePlan plan)
    {
        var sightings = track.Sightings;
        if (plan.Photo)
        {
            return [new SuggestionFinding(SuggestionKind.Face, [Keyframe(0, sightings[0].Box, plan)], sightings.Count)];
        }

        // A region holds at most RedactionLimits.MaxKeyframesPerRegion key positions: a face in view for
        // longer becomes consecutive suggestions (two keys of each are the held ends).
        var perPart = RedactionLimits.MaxKeyframesPerRegion - 2;
        var findings = new List<SuggestionFinding>();
        for (var start = 0; start < sightings.Count; start += perPart)
        {
            var part = sightings.Skip(start).Take(perPart).ToList();
            findings.Add(new SuggestionFinding(SuggestionKind.Face, Keyframes(part, plan), part.Count));
        }

        return findings;
    }

    private static List<RegionKeyframe> Keyframes(List<FaceSighting> sightings, SamplePlan plan)
    {
        var keys = new List<RegionKeyframe>(sightings.Count + 2);
        var (first, last) = (sightings[0], sightings[^1]);
        var before = Math.Max(0, first.Seconds - plan.SampleSeconds);
        if (before < first.Seconds)
        {
            keys.Add(Keyframe(before, first.Box, plan));
        }

        keys.AddRange(sightings.Select(s => Keyframe(s.Seconds, s.Box, plan)));
        var after = last.Seconds + plan.SampleSeconds;
        if (plan.DurationSeconds is { } duration)
        {
            after = Math.Min(after, duration);
        }

        if (after > last.Seconds)
        {
            keys.Add(Keyframe(after, last.Box, plan));
        }

        return keys;
    }

    /// <summary>The box padded, clamped to the picture and normalised, rounded outwards so it never shrinks.</summary>
    public static RegionKeyframe Keyframe(double seconds, Rect box, SamplePlan plan)
    {
        double width = plan.Size.Width;
        double height = plan.Size.Height;
        var left = Math.Max(0, box.X - (box.Width * Padding)) / width;
        var top = Math.Max(0, box.Y - (box.Height * Padding)) / height;
        var right = Math.Min(width, box.X + box.Width + (box.Width * Padding)) / width;
        var bottom = Math.Min(height, box.Y + box.Height + (box.Height * Padding)) / height;
        var x = Down(left);
        var y = Down(top);
        return new RegionKeyframe(Math.Round(seconds, 3), x, y, Math.Round(Up(right) - x, Decimals), Math.Round(Up(bottom) - y, Decimals));
    }

    private static double Down(double value) => Math.Floor(value * 10_000) / 10_000;

    private static double Up(double value) => Math.Min(1, Math.Ceiling(value * 10_000) / 10_000);
}
