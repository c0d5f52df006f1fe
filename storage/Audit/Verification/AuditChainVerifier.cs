namespace Enforcement.Media.Storage.Audit.Verification;

/// <summary>
/// Verifies a hash chain of audit events against signed checkpoints, trusting neither the database
/// nor this system: it needs only the events (in sequence order), the checkpoint objects and the
/// public keys to trust. It depends on the base class library alone, so an export package can ship
/// it to run anywhere. The algorithm (README, "Audit trail", "Verifying") in short:
/// <list type="number">
/// <item>Each checkpoint object must parse, name a trusted key, and carry a valid ECDSA P-256
/// signature over its statement; otherwise it is forged (or unknown) and proves nothing.</item>
/// <item>Walking the events in order from seq 1 (or from a segment's first event), each must have
/// the next sequence number, its <c>prev_hash</c> must equal the previous event's hash, and its
/// fields must hash to its stored hash.</item>
/// <item>At every seq a valid checkpoint names, the event's hash must equal the signed one.</item>
/// <item>No valid checkpoint may lie beyond the last event (truncation).</item>
/// </list>
/// Every problem is reported; the first (lowest sequence number) is where the trail goes wrong.
/// </summary>
public sealed class AuditChainVerifier(IReadOnlyCollection<AuditPublicKey> trustedKeys)
{
    private const int MaxProblems = 1000;

    /// <param name="events">The events in ascending sequence order.</param>
    /// <param name="checkpoints">Every checkpoint object available (from the store, or beside an export).</param>
    /// <param name="fromGenesis">
    /// True for a whole chain, which must start at seq 1 after 32 zero bytes. False accepts a segment
    /// (as an export package carries): unless it starts at seq 1, its first event's previous hash is
    /// taken as given, and only the checkpoints within and after it are checked.
    /// </param>
    public async Task<AuditVerification> VerifyAsync(
        IAsyncEnumerable<AuditRecord> events, IEnumerable<CheckpointObject> checkpoints, bool fromGenesis, CancellationToken cancellationToken)
    {
        var problems = new List<AuditProblem>();
        var notes = new List<string>();
        var anchors = ReadCheckpoints(checkpoints, problems, notes);
        var passed = new List<VerifiedCheckpoint>();

        long? firstSeq = null;
        long lastSeq = 0;
        long count = 0;
        long expected = 1;
        long lastAnchored = 0;
        var previous = AuditHash.Genesis;

        await foreach (var record in events.WithCancellation(cancellationToken))
        {
            if (firstSeq is null)
            {
                firstSeq = record.Seq;
                if (!fromGenesis && record.Seq != 1)
                {
                    expected = record.Seq;
                    previous = record.PrevHash;
                    lastAnchored = record.Seq - 1;
                }
            }

            if (record.Seq < expected)
            {
                Add(problems, new AuditProblem(record.Seq, AuditProblemKind.OutOfOrder, $"event {record.Seq} appears after event {expected - 1}: sequence numbers must ascend by one"));
                continue;
            }

            count++;
            var linkChecked = true;
            if (record.Seq > expected)
            {
                var missing = record.Seq - 1 == expected ? $"event {expected} is missing" : $"events {expected}..{record.Seq - 1} are missing";
                Add(problems, new AuditProblem(expected, AuditProblemKind.Missing, $"{missing} (deleted): the chain jumps from {expected - 1} to {record.Seq}"));
                linkChecked = false; // the break is already reported; the link to a missing event cannot hold
            }

            if (linkChecked && !record.PrevHash.AsSpan().SequenceEqual(previous))
            {
                Add(problems, new AuditProblem(
                    record.Seq,
                    AuditProblemKind.BrokenLink,
                    $"its prev_hash {Hex(record.PrevHash)} is not the hash of event {record.Seq - 1} ({Hex(previous)}): events were removed, reordered or rewritten at {record.Seq - 1} or {record.Seq}"));
            }

            var recomputed = record.Recompute();
            if (!recomputed.AsSpan().SequenceEqual(record.Hash))
            {
                Add(problems, new AuditProblem(
                    record.Seq,
                    AuditProblemKind.HashMismatch,
                    $"its fields hash to {Hex(recomputed)} but its stored hash is {Hex(record.Hash)}: the event was changed after it was chained"));
            }

            if (anchors.Remove(record.Seq, out var atThisSeq))
            {
                foreach (var anchor in atThisSeq)
                {
                    if (anchor.Document.Statement.Hash == Hex(record.Hash))
                    {
                        passed.Add(anchor.ToVerified());
                        lastAnchored = record.Seq;
                    }
                    else
                    {
                        Add(problems, Diverged(anchor, lastAnchored, $"event {record.Seq} has hash {Hex(record.Hash)}"));
                    }
                }
            }

            previous = record.Hash;
            lastSeq = record.Seq;
            expected = record.Seq + 1;
        }

        foreach (var (seq, left) in anchors.OrderBy(a => a.Key))
        {
            if (firstSeq is { } start && seq < start)
            {
                notes.Add($"{left.Count} checkpoint(s) at seq {seq}, before this segment's first event {start}: not checked");
            }
            else if (seq <= lastSeq)
            {
                // Its event was missing from the walk (the gap itself is already reported).
                Add(problems, Diverged(left[0], lastAnchored, $"event {seq} is not in the chain"));
            }
        }

        var beyond = anchors.Where(a => a.Key > lastSeq).OrderByDescending(a => a.Key).FirstOrDefault();
        if (beyond.Value is { } truncatedAt)
        {
            var checkpoint = truncatedAt[0].Document.Statement;
            Add(problems, new AuditProblem(
                lastSeq + 1,
                AuditProblemKind.Truncated,
                $"checkpoint {truncatedAt[0].Source} (signed {checkpoint.SignedAt}) anchors seq {checkpoint.Seq} with hash {checkpoint.Hash}, but the chain ends at seq {lastSeq}: events {lastSeq + 1}..{checkpoint.Seq} were cut off"));
        }

        if (passed.Count == 0 && count > 0)
        {
            notes.Add("no valid checkpoint covers any of these events: a rewrite of the whole chain would not be detectable");
        }
        else if (passed.Count > 0 && passed.Max(p => p.Seq) < lastSeq)
        {
            notes.Add($"events {passed.Max(p => p.Seq) + 1}..{lastSeq} come after the last checkpoint; the next checkpoint will cover them");
        }

        return new AuditVerification(firstSeq, firstSeq is null ? null : lastSeq, count, passed, problems, notes);
    }

    private Dictionary<long, List<Anchor>> ReadCheckpoints(IEnumerable<CheckpointObject> checkpoints, List<AuditProblem> problems, List<string> notes)
    {
        var anchors = new Dictionary<long, List<Anchor>>();
        foreach (var checkpoint in checkpoints)
        {
            CheckpointDocument document;
            try
            {
                document = CheckpointDocument.Parse(checkpoint.Content);
            }
            catch (FormatException ex)
            {
                Add(problems, new AuditProblem(null, AuditProblemKind.UnreadableCheckpoint, $"{checkpoint.Source} is among the checkpoints but is not one: {ex.Message}"));
                continue;
            }

            var statement = document.Statement;
            var key = trustedKeys.FirstOrDefault(k => k.KeyId == statement.KeyId);
            if (key is null)
            {
                Add(problems, new AuditProblem(statement.Seq, AuditProblemKind.UnknownKey, $"checkpoint {checkpoint.Source} claims seq {statement.Seq} but is signed by key {statement.KeyId}, which is not trusted"));
            }
            else if (!document.IsSignedBy(key))
            {
                Add(problems, new AuditProblem(statement.Seq, AuditProblemKind.ForgedCheckpoint, $"checkpoint {checkpoint.Source} claims seq {statement.Seq} with hash {statement.Hash}, but its signature does not verify with key {key.KeyId}: it is forged or altered"));
            }
            else
            {
                if (!anchors.TryGetValue(statement.Seq, out var atSeq))
                {
                    anchors[statement.Seq] = atSeq = [];
                }

                atSeq.Add(new Anchor(checkpoint.Source, document));
            }
        }

        notes.Add($"{anchors.Values.Sum(a => a.Count)} checkpoint(s) with a valid signature by a trusted key ({string.Join(", ", trustedKeys.Select(k => k.KeyId))})");
        return anchors;
    }

    private static AuditProblem Diverged(Anchor anchor, long lastAnchored, string found)
    {
        var statement = anchor.Document.Statement;
        return new AuditProblem(
            lastAnchored + 1,
            AuditProblemKind.CheckpointMismatch,
            $"the chain does not pass through checkpoint {anchor.Source}: it signed hash {statement.Hash} for seq {statement.Seq}, but {found}; events {lastAnchored + 1}..{statement.Seq} (after the last checkpoint the chain matched) were rewritten");
    }

    private static void Add(List<AuditProblem> problems, AuditProblem problem)
    {
        if (problems.Count < MaxProblems)
        {
            problems.Add(problem);
        }
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private sealed record Anchor(string Source, CheckpointDocument Document)
    {
        public VerifiedCheckpoint ToVerified() =>
            new(Source, Document.Statement.Seq, Document.Statement.Hash, Document.Statement.SignedAt, Document.Statement.KeyId);
    }
}
