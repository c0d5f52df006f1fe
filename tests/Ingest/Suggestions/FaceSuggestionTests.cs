using Enforcement.Media.Ingest.Media.Derivatives;
using Enforcement.Media.Ingest.Media.Suggestions;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Media;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enforcement.Media.Tests.Ingest.Suggestions;

/// <summary>
/// Face suggestions end to end: footage made with ffmpeg from a real photograph is ingested into the S3
/// store, probed, and its suggestions job runs through the real worker, ffmpeg reading the original
/// through the loopback server and OpenCV's cascades from Debian's opencv-data.
/// </summary>
public sealed class FaceSuggestionTests(CatalogueFixture catalogue, S3BucketFixture bucket)
    : MediaJobTestBase(catalogue), IClassFixture<CatalogueFixture>, IClassFixture<S3BucketFixture>
{
    /// <summary>How far a suggested box's centre may be from the face's, as a fraction of the picture.</summary>
    private const double Tolerance = 0.04;

    protected override IEvidenceStore Store => bucket.Store;

    private SuggestionStore Suggestions => new(Catalogue.DataSource, TimeProvider.System);

    private SuggestionsJobHandler Handler(SuggestionOptions? options = null, MediaHarness? harness = null)
    {
        var media = harness ?? Harness;
        var suggester = new FaceSuggester(
            new MediaJobContexts(media.Sources, media.Probes, media.Options),
            media.Probes,
            media.Runner,
            media.Options,
            Microsoft.Extensions.Options.Options.Create(options ?? new SuggestionOptions()),
            NullLogger<FaceSuggester>.Instance);
        return new SuggestionsJobHandler(Suggestions, suggester, NullLogger<SuggestionsJobHandler>.Instance);
    }

    /// <summary>Ingests and probes the file, asks for suggestions every second, runs the job, and returns the run as stored.</summary>
    private async Task<SuggestionRun> SuggestAsync(string path, SuggestionOptions? options = null, string jobState = "succeeded")
    {
        var recording = await Harness.IngestAndProbeAsync(path);
        var user = await SuggestionUsers.CreateAsync(Catalogue, Token);
        var request = await Suggestions.RequestAsync(recording.RecordingId, user, SuggestionStore.DefaultSampleSeconds, Token);

        var (state, lastError) = await Harness.RunJobAsync(Handler(options), recording.RecordingId);

        Assert.True(state == jobState, $"the job is {state}, not {jobState}: {lastError}");
        return (await Suggestions.FindAsync(request.Run.Id, Token))!;
    }

    private static void AssertCentredOn(RegionKeyframe key, double x, double y)
    {
        var (centreX, centreY) = (key.X + (key.W / 2), key.Y + (key.H / 2));
        Assert.True(
            Math.Abs(centreX - x) <= Tolerance && Math.Abs(centreY - y) <= Tolerance,
            $"at {key.T} s the box {key} is centred on ({centreX:0.###}, {centreY:0.###}); the face is at ({x:0.###}, {y:0.###})");
    }

    /// <summary>
    /// The keys where the face was seen: a track is held one interval before its first sighting and after its
    /// last with the same box, and in this footage the face moves, so no two sightings share a box.
    /// </summary>
    private static List<RegionKeyframe> Sighted(Suggestion suggestion)
    {
        static bool SameBox(RegionKeyframe a, RegionKeyframe b) => (a.X, a.Y, a.W, a.H) == (b.X, b.Y, b.W, b.H);
        var keys = suggestion.Keyframes.ToList();
        if (keys.Count > 1 && SameBox(keys[0], keys[1]))
        {
            keys.RemoveAt(0);
        }

        if (keys.Count > 1 && SameBox(keys[^1], keys[^2]))
        {
            keys.RemoveAt(keys.Count - 1);
        }

        return keys;
    }

    private static void AssertInsideThePicture(Suggestion suggestion) =>
        Assert.All(suggestion.Keyframes, k => Assert.True(
            k.X >= 0 && k.Y >= 0 && k.W > 0 && k.H > 0 && k.X + k.W <= 1 + 1e-9 && k.Y + k.H <= 1 + 1e-9, $"{k} is not a normalised box"));

    [Fact]
    public async Task A_face_moving_across_the_picture_is_one_suggestion_whose_keyframes_follow_it()
    {
        var source = Folder.Combine("walk-past.mp4");
        await FaceFootage.MovingAcrossAsync(source, 6, Token);

        var run = await SuggestAsync(source);

        Assert.Equal((SuggestionState.Ready, 6), (run.State, run.FramesExamined));
        Assert.StartsWith("opencv 4.", run.Detector, StringComparison.Ordinal);
        Assert.Contains("haarcascade_frontalface_default.xml", run.Detector, StringComparison.Ordinal);
        var face = Assert.Single(run.Suggestions);
        Assert.Equal(SuggestionKind.Face, face.Kind);
        Assert.Null(face.Decision);
        AssertInsideThePicture(face);

        // Seen in (nearly) every sample, at 0, 1 … 5 s, and held one second beyond (not before 0 or after the end).
        var sighted = Sighted(face);
        Assert.True(sighted.Count >= 5, $"the face was found at {string.Join(", ", sighted.Select(k => k.T))} s of 0…5");
        Assert.Equal(sighted.Count, face.Score);
        Assert.Equal(Math.Max(0, sighted[0].T - 1), face.Keyframes[0].T);
        Assert.Equal(Math.Min(6, sighted[^1].T + 1), face.Keyframes[^1].T);
        foreach (var key in sighted)
        {
            AssertCentredOn(key, (20 + (50 * key.T) + FaceFootage.HeadFaceX) / 640, (60 + FaceFootage.HeadFaceY) / 360);
        }

        var spec = new RedactionSpec([new RedactionRegion(RedactionRegion.Rectangle, face.Keyframes)], null, null);
        Assert.Empty(RedactionSpecValidator.Check(spec, MediaKind.Video, 6));
    }

    [Fact]
    public async Task Footage_without_a_face_gets_no_suggestion_and_says_how_much_it_examined()
    {
        var source = Folder.Combine("test-pattern.mp4");
        await Footage.FfmpegAsync(
            Token,
            ["-f", "lavfi", "-i", "testsrc2=s=640x360:r=10:d=4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", .. Footage.Unique(), source]);

        var run = await SuggestAsync(source);

        Assert.Equal((SuggestionState.Ready, 4), (run.State, run.FramesExamined));
        Assert.Empty(run.Suggestions);
    }

    [Fact]
    public async Task A_rotated_phone_clip_is_examined_upright_and_its_boxes_are_in_the_upright_picture()
    {
        var source = Folder.Combine("VID_20261122_080000.mp4");
        await FaceFootage.RotatedPortraitAsync(source, Folder.Path, 5, Token);

        var run = await SuggestAsync(source);

        // Turned on its side the face is invisible to the cascades: finding it at all says the frames were upright.
        Assert.Equal((SuggestionState.Ready, 5), (run.State, run.FramesExamined));
        var face = Assert.Single(run.Suggestions);
        AssertInsideThePicture(face);
        var sighted = Sighted(face);
        Assert.True(sighted.Count >= 4, $"the face was found at {string.Join(", ", sighted.Select(k => k.T))} s of 0…4");
        foreach (var key in sighted)
        {
            AssertCentredOn(key, (100 + FaceFootage.HeadFaceX) / 360, (60 + (50 * key.T) + FaceFootage.HeadFaceY) / 640);
        }
    }

    [Fact]
    public async Task A_photo_with_a_face_gets_one_suggestion_with_one_keyframe()
    {
        var source = Folder.Combine("IMG_0001.png");
        File.Copy(FaceFootage.Astronaut(), source);

        var run = await SuggestAsync(source);

        Assert.Equal((SuggestionState.Ready, 1), (run.State, run.FramesExamined));
        var face = Assert.Single(run.Suggestions);
        var key = Assert.Single(face.Keyframes);
        Assert.Equal(0, key.T);
        AssertCentredOn(key, FaceFootage.AstronautFaceX / 512, FaceFootage.AstronautFaceY / 512);
        var spec = new RedactionSpec([new RedactionRegion(RedactionRegion.Rectangle, face.Keyframes)], null, null);
        Assert.Empty(RedactionSpecValidator.Check(spec, MediaKind.Photo, null));
    }

    [Fact]
    public async Task An_audio_only_recording_fails_the_run_saying_there_is_no_picture()
    {
        var source = Folder.Combine("interview.m4a");
        await Footage.FfmpegAsync(Token, ["-f", "lavfi", "-i", "sine=f=440:d=2", "-c:a", "aac", .. Footage.Unique(), source]);

        var run = await SuggestAsync(source);

        Assert.Equal(SuggestionState.Failed, run.State);
        Assert.Equal("The recording has no picture (audio only): there are no faces to look for.", run.Failure);
        Assert.Empty(run.Suggestions);
        Assert.NotNull(run.FinishedAt);
    }

    [Fact]
    public async Task A_missing_cascade_file_fails_the_run_naming_the_file()
    {
        var source = Folder.Combine("no-cascades.mp4");
        await FaceFootage.MovingAcrossAsync(source, 2, Token);
        var empty = Folder.Combine("cascades");
        Directory.CreateDirectory(empty);

        var run = await SuggestAsync(source, new SuggestionOptions { CascadeFolder = empty });

        Assert.Equal(SuggestionState.Failed, run.State);
        Assert.Contains($"{empty}/haarcascades/haarcascade_frontalface_default.xml is missing", run.Failure, StringComparison.Ordinal);
        Assert.Contains("opencv-data", run.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_failure_while_ffmpeg_reads_is_retried_and_fails_the_run_only_when_the_job_gives_up()
    {
        var source = Folder.Combine("store-fails.mp4");
        await FaceFootage.MovingAcrossAsync(source, 3, Token);
        var recording = await Harness.IngestAndProbeAsync(source);
        var user = await SuggestionUsers.CreateAsync(Catalogue, Token);
        var request = await Suggestions.RequestAsync(recording.RecordingId, user, 1, Token);
        await using var broken = new MediaHarness(Catalogue, new FailingReads(Store, failAfter: 2_000), Options);

        var first = await broken.RunJobAsync(Handler(harness: broken), recording.RecordingId);
        var afterFirst = (await Suggestions.FindAsync(request.Run.Id, Token))!;
        await broken.MakeReadyAsync(JobKinds.Suggestions, recording.RecordingId);
        var second = await broken.RunJobAsync(Handler(harness: broken), recording.RecordingId);
        var afterSecond = (await Suggestions.FindAsync(request.Run.Id, Token))!;

        Assert.Equal("queued", first.State);
        Assert.Equal(SuggestionState.Running, afterFirst.State);
        Assert.Equal("failed", second.State);
        Assert.Equal(SuggestionState.Failed, afterSecond.State);
        Assert.Contains("evidence store", afterSecond.Failure, StringComparison.Ordinal);
    }
}
