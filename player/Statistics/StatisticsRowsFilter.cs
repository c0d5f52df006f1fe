namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// Which rows <c>/statistics/rows</c> lists: the rows behind one number (<see cref="Figures"/>), within the
/// statistics' own filters (<see cref="StatisticsFilter"/>).
/// </summary>
public sealed record StatisticsRowsFilter(string Figure, StatisticsFilter Filter)
{
    public const string Activities = "activities";
    public const string ActivitiesComplete = "activities.complete";
    public const string ActivitiesIncomplete = "activities.incomplete";
    public const string ActivitiesWithGaps = "activities.gaps";
    public const string Approvals = "approvals";
    public const string ApprovalsGranted = "approvals.granted";
    public const string ApprovalsRefused = "approvals.refused";
    public const string ApprovalsPending = "approvals.pending";
    public const string Exports = "exports";
    public const string ExportsApproved = "exports.approved";
    public const string ExportsDenied = "exports.denied";
    public const string ExportsPending = "exports.pending";
    public const string ExportsDownloaded = "exports.downloaded";
    public const string Dispositions = "dispositions";
    public const string Fixity = "fixity";
    public const string FixityMismatch = "fixity.mismatch";
    public const string FixityMissing = "fixity.missing";
    public const string FixityUnreadable = "fixity.unreadable";

    public static readonly IReadOnlyList<string> Figures =
    [
        Activities, ActivitiesComplete, ActivitiesIncomplete, ActivitiesWithGaps, Approvals, ApprovalsGranted, ApprovalsRefused, ApprovalsPending,
        Exports, ExportsApproved, ExportsDenied, ExportsPending, ExportsDownloaded, Dispositions, Fixity, FixityMismatch, FixityMissing, FixityUnreadable,
    ];

    /// <summary>The family of a figure: <c>activities</c>, <c>approvals</c>, <c>exports</c>, <c>dispositions</c> or <c>fixity</c>.</summary>
    public string Family => Figure.Split('.')[0];

    /// <summary>What the figure narrows its family to (<c>granted</c>, <c>mismatch</c> …); null for the whole family.</summary>
    public string? Part => Figure.Split('.') is [_, var part] ? part : null;

    /// <summary>Approvals and exports are what people asked for and handed out: the ledger's readers' figures.</summary>
    public bool IsOversight => IsOversightFigure(Figure);

    public static bool IsOversightFigure(string figure) => figure.Split('.')[0] is Approvals or Exports;

    public static StatisticsRowsFilter Parse(string? figure, StatisticsInput input, TimeZoneInfo zone, DateTimeOffset now)
    {
        var name = figure?.Trim().ToLowerInvariant();
        if (name is null || !Figures.Contains(name))
        {
            throw StatisticsRefusedException.Invalid("figure", $"figure is one of {string.Join(", ", Figures)}.");
        }

        return new StatisticsRowsFilter(name, StatisticsFilter.Parse(input with { GroupBy = null }, zone, now));
    }
}
