using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Audit.Checkpoints;
using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Objects;
using Npgsql;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// Gathers a package's chain of custody. The custody events alone cannot prove they belong to the chain
/// (anyone can hash an invented event), so each is tied to the first signed checkpoint after it by the
/// contiguous chain segment between them: a recipient recomputes every hash in the segment, follows the
/// links and checks that the segment ends in the signed hash. The cost of that proof is disclosure: a
/// segment carries every event in its stretch of the chain, other subjects' too (checkpoints fall every
/// few minutes, so a segment spans minutes). Events after the last checkpoint are listed as not yet covered.
/// </summary>
public sealed class CustodyPlanner(NpgsqlDataSource dataSource, CustodyStore custody, IEvidenceStore store, AuditKeyring keyring, AuditSealer sealer)
{
    /// <summary>A segment longer than this is not shipped: its events are reported as not covered instead.</summary>
    public const int MaxSegmentEvents = 200_000;

    /// <summary>Sealing rounds before gathering; bounded so a busy system cannot keep a build waiting.</summary>
    private const int SealRounds = 20;

    /// <summary>A checkpoint is a few hundred bytes; anything larger is read this far only (and then fails to verify).</summary>
    private const int MaxCheckpointBytes = 64 * 1024;

    public async Task<CustodyPlan> PlanAsync(IReadOnlyList<Guid> recordingIds, Guid exportId, CancellationToken cancellationToken)
    {
        // Chain what is waiting in the outbox first, so the request and its approval are in the report.
        for (var round = 0; round < SealRounds && await sealer.SealBatchAsync(cancellationToken) > 0; round++)
        {
        }

        var findings = new List<string>();
        var events = await custody.EventsAsync(recordingIds, exportId, cancellationToken);
        var anchors = (await custody.AnchorsAsync([.. events.Select(e => e.Seq)], cancellationToken))
            .Where(a =>
            {
                var near = a.Value - a.Key < MaxSegmentEvents;
                if (!near)
                {
                    findings.Add($"event {a.Key}: the next checkpoint ({a.Value}) is more than {MaxSegmentEvents} events later; the segment is not shipped and the event counts as not covered");
                }

                return near;
            })
            .ToDictionary(a => a.Key, a => a.Value);

        var segments = Segments(events, anchors);
        var checkpoints = new List<CheckpointObject>();
        foreach (var seq in anchors.Values.Distinct().Order())
        {
            checkpoints.AddRange(await CheckpointsAtAsync(seq, findings, cancellationToken));
        }

        var keys = keyring.TrustedKeys;
        if (keys.Count == 0)
        {
            findings.Add($"this player trusts no audit public key ({AuditOptions.Section}:TrustedKeyPaths): the checkpoints are included, but the recipient must obtain the agency's audit public key to check them");
        }
        else
        {
            foreach (var segment in segments)
            {
                var within = checkpoints.Where(c => SeqOf(c) is { } s && s >= segment.From && s <= segment.To).ToList();
                var verdict = await new AuditChainVerifier(keys).VerifyAsync(AuditEventReader.ReadAsync(dataSource, segment.From, segment.To, cancellationToken), within, fromGenesis: false, cancellationToken);
                findings.Add(verdict.IsValid
                    ? $"segment {segment.From}..{segment.To}: verified at build, ends in checkpoint {segment.To}"
                    : $"segment {segment.From}..{segment.To}: DOES NOT VERIFY at build: {verdict.FirstProblem!.Kind} at {verdict.FirstProblem.Seq}: {verdict.FirstProblem.Reason}");
            }
        }

        var uncovered = events.Where(e => !anchors.ContainsKey(e.Seq)).Select(e => e.Seq).ToList();
        if (uncovered.Count > 0)
        {
            findings.Add($"{uncovered.Count} event(s) came after the last checkpoint and are not covered by one yet: {string.Join(", ", uncovered)}");
        }

        return new CustodyPlan(events, anchors, segments, checkpoints, keys, findings);
    }

    /// <summary>[event, its checkpoint] for every anchored event, overlapping runs merged.</summary>
    private static List<ChainSegment> Segments(IReadOnlyList<AuditRecord> events, Dictionary<long, long> anchors)
    {
        var segments = new List<ChainSegment>();
        foreach (var record in events)
        {
            if (!anchors.TryGetValue(record.Seq, out var to))
            {
                continue;
            }

            if (segments.Count > 0 && record.Seq <= segments[^1].To)
            {
                segments[^1] = segments[^1] with { To = Math.Max(segments[^1].To, to) };
            }
            else
            {
                segments.Add(new ChainSegment(record.Seq, to));
            }
        }

        return segments;
    }

    /// <summary>The checkpoint objects at this seq, read from the evidence store (the proof), not from the catalogue's copy.</summary>
    private async Task<IReadOnlyList<CheckpointObject>> CheckpointsAtAsync(long seq, List<string> findings, CancellationToken cancellationToken)
    {
        var found = new List<CheckpointObject>();
        foreach (var (storeName, location, document) in await custody.CheckpointsAtAsync(seq, cancellationToken))
        {
            if (storeName != store.Name)
            {
                findings.Add($"checkpoint {seq} is kept in {storeName}, not in this player's store: shipped as the catalogue recorded it");
                found.Add(new CheckpointObject($"checkpoint-{seq}", System.Text.Encoding.UTF8.GetBytes(document)));
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = await ReadCappedAsync(location, cancellationToken);
            }
            catch (ObjectNotFoundException)
            {
                findings.Add($"checkpoint {seq} is MISSING from the store ({location}): shipped as the catalogue recorded it");
                found.Add(new CheckpointObject($"checkpoint-{seq}", System.Text.Encoding.UTF8.GetBytes(document)));
                continue;
            }

            if (!bytes.AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(document)))
            {
                findings.Add($"checkpoint {seq}: the catalogue's copy differs from the object in the store; the store's bytes are shipped");
            }

            found.Add(new CheckpointObject($"checkpoint-{seq}", bytes));
        }

        return found;
    }

    private async Task<byte[]> ReadCappedAsync(ObjectRef location, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(location, null, cancellationToken);
        var buffer = new byte[MaxCheckpointBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return buffer[..length];
    }

    private static long? SeqOf(CheckpointObject checkpoint)
    {
        try
        {
            return CheckpointDocument.Parse(checkpoint.Content).Statement.Seq;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
