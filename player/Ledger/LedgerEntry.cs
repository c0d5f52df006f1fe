namespace Enforcement.Media.Player.Ledger;

/// <summary>One viewing in the access ledger (调阅台账): who, what, why, with which approval, from where, when, what they watched, how many bytes left.</summary>
public sealed record LedgerEntry(
    Guid SessionId,
    string User,
    Guid RecordingId,
    IReadOnlyList<string> CaseNumbers,
    string Reason,
    string Variant,
    Guid? ApprovalId,
    string ClientAddress,
    string UserAgent,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<WatchedSpan> Watched,
    long BytesServed);
