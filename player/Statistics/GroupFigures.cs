namespace Enforcement.Media.Player.Statistics;

/// <summary>
/// Every figure of the whole, or of one group. A figure the caller may not read (viewings, approvals and
/// exports, for a caller who may not read the ledger) is null, as is one that cannot be narrowed as asked
/// (completeness by recorder: an activity has no recorder of its own). <paramref name="Links"/> names, for
/// each number, the list of the rows it counts (<see cref="StatisticsLinks"/>).
/// </summary>
public sealed record GroupFigures(
    RecordingFigures Recordings,
    StorageDelayFigures StorageDelay,
    FullRecordingFigures? FullRecording,
    long? Viewings,
    ApprovalFigures? ViewApprovals,
    ExportFigures? Exports,
    long Dispositions,
    FixityFigures Fixity,
    IReadOnlyDictionary<string, string> Links);
