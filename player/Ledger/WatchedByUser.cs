namespace Enforcement.Media.Player.Ledger;

/// <summary>Per user, which seconds of one recording they watched over all their viewings.</summary>
public sealed record WatchedByUser(string User, int Sessions, IReadOnlyList<WatchedSpan> Watched);
