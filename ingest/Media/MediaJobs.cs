using Dapper;
using Enforcement.Media.Ingest.Media.Renditions;
using Enforcement.Media.Ingest.Media.Thumbnails;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Media;
using Npgsql;

namespace Enforcement.Media.Ingest.Media;

/// <summary>
/// The media jobs a probed recording gets, and their order: recordings linked to
/// an open case first; within that, quick work (remux, thumbnails, audio) before video transcodes.
/// </summary>
public static class MediaJobs
{
    public const string Rendition = "rendition";
    public const string Thumbnails = "thumbnails";

    /// <summary>Remux, audio and thumbnails: seconds of work.</summary>
    public const int QuickPriority = 20;

    /// <summary>Video transcodes: about real time on a small machine.</summary>
    public const int TranscodePriority = 10;

    /// <summary>
    /// Added for recordings linked to an open case. Migration 0006 adds it too when a link is made while
    /// the jobs wait; it keeps every case-linked job above every unlinked one.
    /// </summary>
    public const int OpenCaseBoost = 100;

    /// <summary>Queues what a playable recording needs, in the probe's transaction.</summary>
    public static async Task ScheduleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, MediaProbe probe, MediaOptions options, CancellationToken cancellationToken)
    {
        var boost = await LinkedToOpenCaseAsync(connection, transaction, recordingId, cancellationToken) ? OpenCaseBoost : 0;
        var rendition = RenditionPolicy.Plan(probe, options);
        if (rendition.Method != RenditionMethod.None)
        {
            var priority = (rendition.IsCheap ? QuickPriority : TranscodePriority) + boost;
            await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(Rendition, recordingId, null, priority, options.MaxAttempts), cancellationToken);
        }

        if (ThumbnailPlan.For(probe, options).PosterMethod is not null)
        {
            await JobQueue.EnqueueAsync(connection, transaction, new JobRequest(Thumbnails, recordingId, null, QuickPriority + boost, options.MaxAttempts), cancellationToken);
        }
    }

    private static async Task<bool> LinkedToOpenCaseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT EXISTS (
                SELECT 1 FROM recording_links l JOIN cases c ON c.id = l.case_id
                WHERE l.recording_id = @recordingId AND l.unlinked_at IS NULL AND c.status = 'open')
            """;
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { recordingId }, transaction, cancellationToken: cancellationToken));
    }
}
