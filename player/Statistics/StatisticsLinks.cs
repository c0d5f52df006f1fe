using System.Globalization;

namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// Where each number leads: the list of exactly the rows it counts. Footage goes to the recording search and
/// viewings to the access ledger, with the filters the figure was counted by; what has no list of its own
/// (activities, approvals, exports, dispositions, fixity findings) goes to <c>/statistics/rows</c>, which
/// selects with the figure's own SQL (<see cref="StatisticsSql"/>). The search and the ledger read a window as
/// instants, so they are given the exact first and first-after instants of the local days.
/// </summary>
public sealed class StatisticsLinks(StatisticsScope scope, TimeSpan lateDocking)
{
    private const string InstantFormat = "yyyy-MM-dd'T'HH:mm:sszzz";

    /// <summary>
    /// The links of the whole (<paramref name="group"/> false) or of the group <paramref name="key"/>, by the
    /// name of the number (<c>recordings</c>, <c>viewApprovals.granted</c> …). A group of no unit, officer or
    /// recorder (null key) has no list to narrow to, and so no links.
    /// </summary>
    public IReadOnlyDictionary<string, string> Of(bool group, string? key)
    {
        if (group && Narrowing(key) is not { } narrowing)
        {
            return new Dictionary<string, string>();
        }

        var (unit, subunits, officer, recorder, period) = group ? Narrowing(key)!.Value : (scope.Root, scope.Filter.Subunits, scope.Filter.Officer, scope.Filter.Recorder, scope.Period);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        var footage = Query(("officer", officer), ("recorder", recorder), ("unit", unit), ("subunits", subunits ? null : "false"),
            ("from", Instant(period.Start)), ("to", Instant(period.End)));
        links["recordings"] = "/recordings" + footage;
        links["recordings.quarantined"] = "/recordings" + footage + "&state=quarantined";
        links["storageDelay.measured"] = "/recordings" + footage + "&startSource=recorder";
        links["storageDelay.late"] = "/recordings" + footage + "&delayOver=" + Uri.EscapeDataString(lateDocking.ToString("c", CultureInfo.InvariantCulture));
        if (scope.Oversight)
        {
            links["viewings"] = "/ledger" + footage;
        }

        // A caller of no unit may name no unit (StatisticsUnits), so the groups by top-level unit that such a
        // caller sees have no list of their own there.
        var rowsPage = scope.Root is null && unit is not null ? null
            : Query(("from", StatisticsPeriod.DayText(period.From)), ("to", StatisticsPeriod.DayText(period.To)), ("unit", unit), ("subunits", subunits ? null : "false"),
                ("officer", officer), ("recorder", recorder));
        if (rowsPage is not null)
        {
            // Activities have no recorder of their own: by recorder they are not counted, and so not listed.
            foreach (var (number, figure) in RowFigures
                         .Where(f => scope.Oversight || !StatisticsRowsFilter.IsOversightFigure(f.Figure))
                         .Where(f => recorder is null || !f.Figure.StartsWith(StatisticsRowsFilter.Activities, StringComparison.Ordinal)))
            {
                links[number] = $"/statistics/rows{rowsPage}&figure={figure}";
            }
        }

        return links;
    }

    /// <summary>The ledger's viewings of the whole scope by one role or one reason.</summary>
    public string Viewings(string filter, string value) => Of(false, null)["viewings"] + $"&{filter}={Uri.EscapeDataString(value)}";

    /// <summary>The numbers listed by <c>/statistics/rows</c>, with the figure that lists them.</summary>
    private static readonly (string Number, string Figure)[] RowFigures =
    [
        ("fullRecording.activities", StatisticsRowsFilter.Activities),
        ("fullRecording.complete", StatisticsRowsFilter.ActivitiesComplete),
        ("fullRecording.incomplete", StatisticsRowsFilter.ActivitiesIncomplete),
        ("fullRecording.withGaps", StatisticsRowsFilter.ActivitiesWithGaps),
        ("viewApprovals.asked", StatisticsRowsFilter.Approvals),
        ("viewApprovals.granted", StatisticsRowsFilter.ApprovalsGranted),
        ("viewApprovals.refused", StatisticsRowsFilter.ApprovalsRefused),
        ("viewApprovals.pending", StatisticsRowsFilter.ApprovalsPending),
        ("exports.requested", StatisticsRowsFilter.Exports),
        ("exports.approved", StatisticsRowsFilter.ExportsApproved),
        ("exports.denied", StatisticsRowsFilter.ExportsDenied),
        ("exports.pending", StatisticsRowsFilter.ExportsPending),
        ("exports.downloaded", StatisticsRowsFilter.ExportsDownloaded),
        ("dispositions", StatisticsRowsFilter.Dispositions),
        ("fixity.findings", StatisticsRowsFilter.Fixity),
        ("fixity.mismatch", StatisticsRowsFilter.FixityMismatch),
        ("fixity.missing", StatisticsRowsFilter.FixityMissing),
        ("fixity.unreadable", StatisticsRowsFilter.FixityUnreadable),
    ];

    /// <summary>
    /// The filters that select exactly a group's rows: a unit's group is that unit with the units under it (the
    /// scope's own unit alone, for its own group); an officer's or a recorder's adds that filter to the scope's;
    /// a day's or a month's is the scope's in that part of the period.
    /// </summary>
    private (string? Unit, bool Subunits, string? Officer, string? Recorder, StatisticsPeriod Period)? Narrowing(string? key)
    {
        var filter = scope.Filter;
        return key is null ? null : filter.GroupBy switch
        {
            StatisticsFilter.ByUnit when key == scope.Root => (key, false, filter.Officer, filter.Recorder, scope.Period),
            StatisticsFilter.ByUnit => (key, true, filter.Officer, filter.Recorder, scope.Period),
            StatisticsFilter.ByOfficer => (scope.Root, filter.Subunits, key, filter.Recorder, scope.Period),
            StatisticsFilter.ByRecorder => (scope.Root, filter.Subunits, filter.Officer, key, scope.Period),
            _ => scope.Period.Narrowed(key) is { } part ? (scope.Root, filter.Subunits, filter.Officer, filter.Recorder, part) : null,
        };
    }

    private static string Instant(DateTimeOffset instant) => instant.ToString(InstantFormat, CultureInfo.InvariantCulture);

    /// <summary>The query of the parameters given (the window always is, so it is never empty).</summary>
    private static string Query(params (string Name, string? Value)[] parameters) =>
        QueryString.Create(parameters.Where(p => !string.IsNullOrWhiteSpace(p.Value)).Select(p => KeyValuePair.Create(p.Name, p.Value))).Value!;
}
