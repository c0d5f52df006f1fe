using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Storage.Cases;

/// <summary>
/// The per-case completeness report: for every activity, the footage linked to it; for activities
/// that require full-process recording, the coverage of the window and every gap longer than the
/// threshold — naming the recorder and files around a gap when a split file is missing.
/// </summary>
public sealed class CompletenessService(NpgsqlDataSource dataSource, IOptions<CasesOptions> options, TimeProvider time)
{
    public async Task<CompletenessReport> ReportAsync(string caseNumber, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await CaseStore.FindAsync(connection, null, caseNumber, cancellationToken) ?? throw new CaseNotFoundException(caseNumber);
        var activities = await CaseStore.ActivitiesAsync(connection, null, found.Id, cancellationToken);
        var linked = await LinkStore.LinkedSpansAsync(connection, found.Id, cancellationToken);
        var results = activities.Select(activity => Judge(activity, linked.Where(l => l.ActivityId == activity.Id).Select(l => l.Span), options.Value)).ToList();

        var unplaced = linked.Where(l => l.ActivityId is null).Select(l => l.Span).DistinctBy(s => s.RecordingId).OrderBy(s => s.Start).ToList();
        return new CompletenessReport(found.Id, found.CaseNumber, found.Status, time.GetUtcNow(), results, unplaced);
    }

    /// <summary>
    /// How well one activity is recorded by the footage linked to it: the one rule of the case report, the case
    /// page and the statistics alike. Gaps are looked for only in activities that must be recorded in full.
    /// </summary>
    public static ActivityCompleteness Judge(ActivityRecord activity, IEnumerable<RecordingSpan> linked, CasesOptions options)
    {
        var spans = linked.DistinctBy(s => s.RecordingId).OrderBy(s => s.Start).ToList();
        var requiresFull = options.FullRecordingTypes.Contains(activity.Type, StringComparer.Ordinal);
        var gaps = requiresFull ? Coverage.Gaps(spans, activity.StartsAt, activity.EndsAt, options.GapThreshold) : [];
        return new ActivityCompleteness(
            activity.Id,
            activity.ExternalId,
            activity.StageCode,
            activity.Type,
            activity.StartsAt,
            activity.EndsAt,
            activity.Officers,
            requiresFull,
            (activity.EndsAt - activity.StartsAt).TotalSeconds,
            Coverage.Covered(spans, activity.StartsAt, activity.EndsAt).TotalSeconds,
            gaps,
            spans);
    }
}
