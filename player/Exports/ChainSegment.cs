namespace Enforcement.Media.Player.Exports;

/// <summary>
/// A contiguous run of the audit chain, from a custody event to the signed checkpoint that follows it
/// (<paramref name="To"/> is that checkpoint's seq): what a recipient needs to prove the custody events
/// in it are part of the chain the checkpoint vouches for.
/// </summary>
public sealed record ChainSegment(long From, long To)
{
    public string FileName => $"segment-{From:D12}-{To:D12}.jsonl";
}
