using Enforcement.Media.Ingest.Media.Renditions;
using Enforcement.Media.Ingest.Media.Suggestions;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Redactions;
using OpenCvSharp;

namespace Enforcement.Media.Tests.Ingest.Suggestions;

public sealed class TrackKeyframesTests
{
    private static readonly SamplePlan Video = new(0, Photo: false, new FrameSize(640, 360), SampleSeconds: 1, DurationSeconds: 10);

    private static FaceTrack Track(params (int Sample, Rect Box)[] sightings)
    {
        var track = new FaceTracker();
        foreach (var (sample, box) in sightings)
        {
            track.Add(sample, sample * Video.SampleSeconds, [box]);
        }

        return Assert.Single(track.Tracks());
    }

    [Fact]
    public void Boxes_are_padded_normalised_and_held_one_interval_before_and_after_the_sightings()
    {
        var finding = Assert.Single(TrackKeyframes.Findings(Track((2, new Rect(100, 100, 40, 40)), (3, new Rect(110, 100, 40, 40))), Video));

        Assert.Equal(SuggestionKind.Face, finding.Kind);
        Assert.Equal(2, finding.Score);
        Assert.Equal([1.0, 2, 3, 4], finding.Keyframes.Select(k => k.T));

        // 15% of 40 px each side: 94..146 of 640 wide, 94..146 of 360 high.
        var key = finding.Keyframes[1];
        Assert.Equal((0.1468, 0.2611), (key.X, key.Y));
        Assert.Equal((0.0814, 0.1445), (key.W, key.H));
        Assert.Equal(finding.Keyframes[0] with { T = 2 }, key);
        Assert.Equal(finding.Keyframes[3] with { T = 3 }, finding.Keyframes[2]);
    }

    [Fact]
    public void A_box_at_the_edge_is_clamped_inside_the_picture_and_the_held_ends_stay_inside_the_recording()
    {
        var corner = new Rect(620, 340, 20, 20);
        var first = Assert.Single(TrackKeyframes.Findings(Track((0, corner), (1, corner)), Video));
        var last = Assert.Single(TrackKeyframes.Findings(Track((9, corner), (10, corner)), Video));

        Assert.Equal([0.0, 1, 2], first.Keyframes.Select(k => k.T));
        Assert.Equal([8.0, 9, 10], last.Keyframes.Select(k => k.T));
        Assert.All(first.Keyframes.Concat(last.Keyframes), k => Assert.Equal((1.0, 1.0), (Math.Round(k.X + k.W, 6), Math.Round(k.Y + k.H, 6))));
    }

    [Fact]
    public void The_keyframes_are_a_region_the_redaction_spec_accepts()
    {
        var findings = TrackKeyframes.Findings(Track((0, new Rect(0, 0, 50, 50)), (1, new Rect(30, 10, 50, 50)), (2, new Rect(60, 20, 50, 50))), Video);
        var spec = new RedactionSpec([.. findings.Select(f => new RedactionRegion(RedactionRegion.Rectangle, f.Keyframes))], null, null);

        Assert.Empty(RedactionSpecValidator.Check(spec, MediaKind.Video, Video.DurationSeconds));
    }

    [Fact]
    public void A_photo_gets_one_keyframe_at_time_zero()
    {
        var photo = Video with { Photo = true, DurationSeconds = null };
        var tracker = new FaceTracker();
        tracker.Add(0, 0, [new Rect(100, 100, 40, 40)]);

        var finding = Assert.Single(TrackKeyframes.Findings(Assert.Single(tracker.Tracks()), photo));

        var key = Assert.Single(finding.Keyframes);
        Assert.Equal(0, key.T);
        var spec = new RedactionSpec([new RedactionRegion(RedactionRegion.Rectangle, finding.Keyframes)], null, null);
        Assert.Empty(RedactionSpecValidator.Check(spec, MediaKind.Photo, null));
    }

    [Fact]
    public void A_face_in_view_for_longer_than_a_region_may_hold_becomes_consecutive_suggestions()
    {
        var tracker = new FaceTracker();
        var samples = RedactionLimits.MaxKeyframesPerRegion + 10;
        for (var sample = 0; sample < samples; sample++)
        {
            tracker.Add(sample, sample, [new Rect(100, 100, 40, 40)]);
        }

        var plan = Video with { DurationSeconds = samples };
        var findings = TrackKeyframes.Findings(Assert.Single(tracker.Tracks()), plan);

        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.InRange(f.Keyframes.Count, 1, RedactionLimits.MaxKeyframesPerRegion));
        Assert.Equal(samples, findings.Sum(f => f.Score));
    }
}
