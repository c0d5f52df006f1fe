using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>
/// Scheduling: the probe queues a recording's media jobs; recordings linked to an open case go
/// first, and quick work (remux, thumbnails) before video transcodes; ffmpeg jobs run in the media pool.
/// </summary>
public sealed class MediaSchedulingTests : MediaJobTestBase, IClassFixture<CatalogueFixture>
{
    public MediaSchedulingTests(CatalogueFixture catalogue)
        : base(catalogue)
    {
        Store = new FileSystemEvidenceStore(
            Microsoft.Extensions.Options.Options.Create(new FileSystemStoreOptions { Root = StoreFolder.Path }), TimeProvider.System, NullLogger<FileSystemEvidenceStore>.Instance);
    }

    protected override IEvidenceStore Store { get; }

    private Task<IReadOnlyList<(string Kind, int Priority, int MaxAttempts)>> MediaJobsOfAsync(Guid recordingId) =>
        Harness.QueryAsync<(string, int, int)>(
            "SELECT kind, priority, max_attempts FROM jobs WHERE recording_id = @recordingId AND kind IN ('rendition', 'thumbnails') ORDER BY kind",
            new { recordingId });

    private async Task<string> RemuxableAsync(string name)
    {
        var path = Folder.Combine(name);
        await Footage.H264AacAsync(path, Token, seconds: 1);
        return path;
    }

    private async Task<string> TranscodeNeededAsync(string name)
    {
        var path = Folder.Combine(name);
        await Footage.FfmpegAsync(Token, ["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=1", "-c:v", "mjpeg", .. Footage.Unique(), "-f", "avi", path]);
        return path;
    }

    private async Task<Guid> OpenCaseAsync(string status = "open")
    {
        var id = Guid.CreateVersion7();
        await Harness.ExecuteAsync(
            """
            INSERT INTO cases (id, case_number, status, opened_at, created_at, updated_at)
            VALUES (@id, @number, @status, now(), now(), now())
            """,
            new { id, number = $"CASE-{id:N}", status });
        return id;
    }

    private Task LinkAsync(Guid recordingId, Guid caseId) =>
        Harness.ExecuteAsync(
            """
            INSERT INTO recording_links (id, recording_id, case_id, method, linked_by, linked_at)
            VALUES (@id, @recordingId, @caseId, 'manual', 'user:test', now())
            """,
            new { id = Guid.CreateVersion7(), recordingId, caseId });

    [Fact]
    public async Task A_probed_video_gets_a_rendition_job_and_a_thumbnails_job_remux_ranking_with_thumbnails_and_above_transcodes()
    {
        var remux = await Harness.IngestAndProbeAsync(await RemuxableAsync("remux.mp4"));
        var transcode = await Harness.IngestAndProbeAsync(await TranscodeNeededAsync("transcode.avi"));

        Assert.Equal([("rendition", MediaJobs.QuickPriority, 3), ("thumbnails", MediaJobs.QuickPriority, 3)], await MediaJobsOfAsync(remux.RecordingId));
        Assert.Equal([("rendition", MediaJobs.TranscodePriority, 3), ("thumbnails", MediaJobs.QuickPriority, 3)], await MediaJobsOfAsync(transcode.RecordingId));
    }

    [Fact]
    public async Task A_photo_and_audio_each_get_a_rendition_and_thumbnails_in_the_quick_lane()
    {
        var photo = Folder.Combine("photo.jpg");
        await Footage.FfmpegAsync(Token, "-f", "lavfi", "-i", "testsrc2=s=320x240", "-frames:v", "1", photo);
        var audio = Folder.Combine("audio.wav");
        await Footage.FfmpegAsync(Token, ["-f", "lavfi", "-i", "sine=d=1", .. Footage.Unique(), audio]);

        var photoRecording = await Harness.IngestAndProbeAsync(photo);
        var audioRecording = await Harness.IngestAndProbeAsync(audio);

        Assert.Equal([("rendition", MediaJobs.QuickPriority, 3), ("thumbnails", MediaJobs.QuickPriority, 3)], await MediaJobsOfAsync(photoRecording.RecordingId));
        Assert.Equal([("rendition", MediaJobs.QuickPriority, 3), ("thumbnails", MediaJobs.QuickPriority, 3)], await MediaJobsOfAsync(audioRecording.RecordingId));
    }

    [Fact]
    public async Task A_recording_already_linked_to_an_open_case_is_queued_ahead_of_everything_unlinked()
    {
        var recording = await Harness.IngestAsync(await TranscodeNeededAsync("evidence.avi"));
        await LinkAsync(recording.RecordingId, await OpenCaseAsync());

        Assert.Equal(("succeeded", null), await Harness.RunJobAsync(Harness.ProbeHandler, recording.RecordingId));

        Assert.Equal(
            [("rendition", MediaJobs.TranscodePriority + MediaJobs.OpenCaseBoost, 3), ("thumbnails", MediaJobs.QuickPriority + MediaJobs.OpenCaseBoost, 3)],
            await MediaJobsOfAsync(recording.RecordingId));
    }

    [Fact]
    public async Task Linking_a_waiting_recording_to_an_open_case_raises_its_jobs_once_and_a_closed_case_does_not()
    {
        var linked = await Harness.IngestAndProbeAsync(await TranscodeNeededAsync("linked-later.avi"));
        var closed = await Harness.IngestAndProbeAsync(await TranscodeNeededAsync("closed-case.avi"));
        var open = await OpenCaseAsync();

        await LinkAsync(linked.RecordingId, open);
        await LinkAsync(linked.RecordingId, await OpenCaseAsync());
        await LinkAsync(closed.RecordingId, await OpenCaseAsync("closed"));

        Assert.Equal(
            [("rendition", MediaJobs.TranscodePriority + MediaJobs.OpenCaseBoost, 3), ("thumbnails", MediaJobs.QuickPriority + MediaJobs.OpenCaseBoost, 3)],
            await MediaJobsOfAsync(linked.RecordingId));
        Assert.Equal([("rendition", MediaJobs.TranscodePriority, 3), ("thumbnails", MediaJobs.QuickPriority, 3)], await MediaJobsOfAsync(closed.RecordingId));
    }

    [Fact]
    public async Task The_queue_hands_out_case_work_first_then_quick_work_then_transcodes()
    {
        var transcode = await Harness.IngestAndProbeAsync(await TranscodeNeededAsync("plain-transcode.avi"));
        var remux = await Harness.IngestAndProbeAsync(await RemuxableAsync("plain-remux.mp4"));
        var caseTranscode = await Harness.IngestAndProbeAsync(await TranscodeNeededAsync("case-transcode.avi"));
        await LinkAsync(caseTranscode.RecordingId, await OpenCaseAsync());

        // Only these three recordings' rendition jobs are in play.
        var mine = new[] { transcode.RecordingId, remux.RecordingId, caseTranscode.RecordingId };
        await Harness.ExecuteAsync(
            "UPDATE jobs SET run_after = now() + interval '1 day' WHERE state = 'queued' AND NOT (kind = 'rendition' AND recording_id = ANY(@mine))",
            new { mine });
        var order = new List<Guid?>();
        for (var i = 0; i < 3; i++)
        {
            order.Add((await Harness.Queue.ClaimAsync([MediaJobs.Rendition], "test", TimeSpan.FromMinutes(1), Token))?.RecordingId);
        }

        Assert.Equal([caseTranscode.RecordingId, remux.RecordingId, transcode.RecordingId], order);
    }

    [Fact]
    public void Renditions_and_thumbnails_run_in_the_media_pool_and_probes_in_the_default_pool()
    {
        Assert.Equal(JobPools.Media, Harness.RenditionHandler.Pool);
        Assert.Equal(JobPools.Media, Harness.ThumbnailsHandler.Pool);
        Assert.Equal(JobPools.Default, ((IJobHandler)Harness.ProbeHandler).Pool);
        Assert.Equal(RecordingArchive.ProbeJob, Harness.ProbeHandler.Kind);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount - 1), new JobOptions().ConcurrencyOf(JobPools.Media));
    }
}
