using Enforcement.Media.Ingest.Media.Suggestions;
using OpenCvSharp;

namespace Enforcement.Media.Tests.Ingest.Suggestions;

public sealed class FaceTrackerTests
{
    [Fact]
    public void A_face_moving_steadily_is_one_track_even_when_it_moves_more_than_its_width_between_samples()
    {
        var tracker = new FaceTracker();

        // 40 px wide, then 30 px a sample, then 60 px a sample: the last steps are followed by its speed.
        tracker.Add(0, 0, [new Rect(100, 100, 40, 40)]);
        tracker.Add(1, 1, [new Rect(130, 100, 40, 40)]);
        tracker.Add(2, 2, [new Rect(190, 102, 40, 40)]);
        tracker.Add(3, 3, [new Rect(250, 104, 40, 40)]);

        var track = Assert.Single(tracker.Tracks());
        Assert.Equal([0, 1, 2, 3], track.Sightings.Select(s => s.Sample));
    }

    [Fact]
    public void Two_faces_side_by_side_keep_their_own_tracks()
    {
        var tracker = new FaceTracker();

        tracker.Add(0, 0, [new Rect(100, 100, 40, 40), new Rect(150, 100, 40, 40)]);
        tracker.Add(1, 1, [new Rect(152, 101, 40, 40), new Rect(102, 99, 40, 40)]);
        tracker.Add(2, 2, [new Rect(104, 100, 40, 40), new Rect(154, 100, 40, 40)]);

        var tracks = tracker.Tracks();
        Assert.Equal(2, tracks.Count);
        Assert.All(tracks[0].Sightings, s => Assert.InRange(s.Box.X, 100, 104));
        Assert.All(tracks[1].Sightings, s => Assert.InRange(s.Box.X, 150, 154));
    }

    [Fact]
    public void A_face_missed_for_a_sample_or_two_stays_one_track_and_a_longer_absence_starts_another()
    {
        var tracker = new FaceTracker();
        var face = new Rect(100, 100, 40, 40);

        tracker.Add(0, 0, [face]);
        tracker.Add(1, 1, []);
        tracker.Add(2, 2, []);
        tracker.Add(3, 3, [face]);
        for (var sample = 4; sample < 7; sample++)
        {
            tracker.Add(sample, sample, []);
        }

        tracker.Add(7, 7, [face]);

        var tracks = tracker.Tracks();
        Assert.Equal(2, tracks.Count);
        Assert.Equal([0, 3], tracks[0].Sightings.Select(s => s.Sample));
        Assert.Equal([7], tracks[1].Sightings.Select(s => s.Sample));
    }

    [Fact]
    public void A_much_larger_face_in_the_same_place_is_someone_else()
    {
        var tracker = new FaceTracker();

        tracker.Add(0, 0, [new Rect(100, 100, 30, 30)]);
        tracker.Add(1, 1, [new Rect(90, 90, 90, 90)]);

        Assert.Equal(2, tracker.Tracks().Count);
    }

    [Fact]
    public void Boxes_of_one_face_from_several_cascades_merge_into_one_covering_them_all()
    {
        var merged = Boxes.Merge([new Rect(100, 100, 40, 40), new Rect(300, 100, 40, 40), new Rect(105, 95, 44, 44), new Rect(90, 110, 30, 30)]);

        Assert.Equal(2, merged.Count);
        Assert.Contains(new Rect(90, 95, 59, 45), merged);
        Assert.Contains(new Rect(300, 100, 40, 40), merged);
    }
}
