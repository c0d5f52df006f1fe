using System.Globalization;
using Enforcement.Media.Player.Visibility;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// The statistics (统计分析) of a unit tree over local days: every figure counted by the catalogue over what the
/// caller may see (<see cref="RecordingVisibility"/>, so a bureau's figures roll up its districts' and
/// stations'), in total and by group, each number with the list behind it.
/// </summary>
public sealed class StatisticsService(
    StatisticsUnits units, StatisticsStore store, CompletenessStatistics completeness, IOptions<StatisticsOptions> options)
{
    public async Task<StatisticsReport> ReportAsync(Viewer viewer, StatisticsFilter filter, bool mayReadOversight, CancellationToken cancellationToken)
    {
        var scope = await units.ResolveAsync(viewer, filter, mayReadOversight, cancellationToken);
        var lateDocking = options.Value.LateDocking;

        // Independent queries, each on a connection of its own: the figures of a year of a bureau are read at once.
        var recordingsTask = store.RecordingsAsync(scope, lateDocking, cancellationToken);
        var dispositionsTask = store.DispositionsAsync(scope, cancellationToken);
        var fixityTask = store.FixityAsync(scope, cancellationToken);
        var activitiesTask = filter.Recorder is null ? completeness.JudgeAsync(scope, cancellationToken) : Task.FromResult<IReadOnlyList<JudgedActivity>>([]);
        var viewingsTask = scope.Oversight ? store.ViewingsAsync(scope, cancellationToken) : Task.FromResult(new Grouped<long>(0, []));
        var approvalsTask = scope.Oversight ? store.ApprovalsAsync(scope, cancellationToken) : Task.FromResult(new Grouped<ApprovalFigures>(ApprovalFigures.None, []));
        var exportsTask = scope.Oversight ? store.ExportsAsync(scope, cancellationToken) : Task.FromResult(new Grouped<ExportFigures>(ExportFigures.None, []));
        var byRoleAndReasonTask = scope.Oversight
            ? store.ViewingsByRoleAndReasonAsync(scope, cancellationToken)
            : Task.FromResult<(IReadOnlyList<(string, long)>, IReadOnlyList<(string, long)>)>(([], []));
        await Task.WhenAll(recordingsTask, dispositionsTask, fixityTask, activitiesTask, viewingsTask, approvalsTask, exportsTask, byRoleAndReasonTask);

        var (recordings, delay) = await recordingsTask;
        var (byRole, byReason) = await byRoleAndReasonTask;
        var counts = new Counts(
            recordings,
            delay,
            filter.Recorder is null ? CompletenessStatistics.Count(await activitiesTask, filter.GroupBy) : null,
            await viewingsTask,
            await approvalsTask,
            await exportsTask,
            await dispositionsTask,
            await fixityTask);
        var links = new StatisticsLinks(scope, lateDocking);
        var keys = GroupKeys(scope, counts);
        var names = await units.NamesAsync(filter.GroupBy, [.. keys.OfType<string>()], cancellationToken);
        var groups = keys
            .Select(key => new StatisticsGroup(key, key is not null && names.TryGetValue(key, out var name) ? name : null, counts.Of(true, key, scope, links)))
            .ToList();
        var rootName = scope.Root is null ? null : (await units.NamesAsync(StatisticsFilter.ByUnit, [scope.Root], cancellationToken)).GetValueOrDefault(scope.Root);

        return new StatisticsReport(
            StatisticsPeriod.DayText(filter.Period.From),
            StatisticsPeriod.DayText(filter.Period.To),
            filter.Period.ZoneName,
            scope.Root,
            rootName,
            filter.Subunits,
            filter.Officer,
            filter.Recorder,
            filter.GroupBy,
            lateDocking.ToString("c", CultureInfo.InvariantCulture),
            counts.Of(false, null, scope, links),
            Ordered(filter.GroupBy, groups),
            scope.Oversight ? [.. byRole.Select(r => new CountedValue(r.Item1, r.Item2, links.Viewings("role", r.Item1)))] : null,
            scope.Oversight ? [.. byReason.Select(r => new CountedValue(r.Item1, r.Item2, links.Viewings("reason", r.Item1)))] : null);
    }

    /// <summary>
    /// The groups to show: every day or month of the period, and for units the scope's unit and (unless it is
    /// alone) its direct sub-units, whether or not anything happened in them; then every other key a figure has,
    /// footage of no unit, officer or recorder (null) last.
    /// </summary>
    private static List<string?> GroupKeys(StatisticsScope scope, Counts counts)
    {
        var keys = scope.Filter.GroupBy switch
        {
            StatisticsFilter.ByDay => [.. scope.Period.Days().Select(StatisticsPeriod.DayText)],
            StatisticsFilter.ByMonth => [.. scope.Period.Months().Select(StatisticsPeriod.MonthText)],
            StatisticsFilter.ByUnit when scope.Root is not null => [scope.Root, .. scope.Filter.Subunits ? scope.Children : []],
            _ => new List<string?>(),
        };
        var found = counts.Keys().ToList();
        var listed = keys.OfType<string>().ToHashSet(StringComparer.Ordinal);
        keys.AddRange([.. found.OfType<string>().Where(listed.Add)]);
        if (found.Contains(null))
        {
            keys.Add(null);
        }

        return keys;
    }

    /// <summary>Units in code order after the scope's own, officers and recorders by recordings (most first), days and months in order; footage of none last.</summary>
    private static List<StatisticsGroup> Ordered(string groupBy, List<StatisticsGroup> groups) => groupBy switch
    {
        StatisticsFilter.ByOfficer or StatisticsFilter.ByRecorder =>
            [.. groups.OrderBy(g => g.Key is null).ThenByDescending(g => g.Figures.Recordings.Count).ThenBy(g => g.Key, StringComparer.Ordinal)],
        StatisticsFilter.ByUnit => [.. groups.Take(1), .. groups.Skip(1).OrderBy(g => g.Key is null).ThenBy(g => g.Key, StringComparer.Ordinal)],
        _ => groups,
    };

    /// <summary>Every figure, counted once, and the figures of any group of it.</summary>
    private sealed record Counts(
        Grouped<RecordingFigures> Recordings,
        Grouped<StorageDelayFigures> Delay,
        Grouped<FullRecordingFigures>? FullRecording,
        Grouped<long> Viewings,
        Grouped<ApprovalFigures> Approvals,
        Grouped<ExportFigures> Exports,
        Grouped<long> Dispositions,
        Grouped<FixityFigures> Fixity)
    {
        public IEnumerable<string?> Keys() =>
            Recordings.Keys.Concat(Delay.Keys).Concat(FullRecording?.Keys ?? []).Concat(Viewings.Keys).Concat(Approvals.Keys)
                .Concat(Exports.Keys).Concat(Dispositions.Keys).Concat(Fixity.Keys);

        public GroupFigures Of(bool group, string? key, StatisticsScope scope, StatisticsLinks links) => new(
            group ? Recordings.Of(key, RecordingFigures.None) : Recordings.Total,
            group ? Delay.Of(key, StorageDelayFigures.None) : Delay.Total,
            FullRecording is null || (group && scope.Filter.GroupBy == StatisticsFilter.ByRecorder) ? null
                : group ? FullRecording.Of(key, FullRecordingFigures.None) : FullRecording.Total,
            !scope.Oversight ? null : group ? Viewings.Of(key, 0) : Viewings.Total,
            !scope.Oversight ? null : group ? Approvals.Of(key, ApprovalFigures.None) : Approvals.Total,
            !scope.Oversight ? null : group ? Exports.Of(key, ExportFigures.None) : Exports.Total,
            group ? Dispositions.Of(key, 0) : Dispositions.Total,
            group ? Fixity.Of(key, FixityFigures.None) : Fixity.Total,
            links.Of(group, key));
    }
}
