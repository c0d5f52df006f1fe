using System.Text;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Audit.Checkpoints;
using Enforcement.Media.Storage.Audit.Verification;

namespace Enforcement.Media.Tests.Storage.Audit;

/// <summary>The verifier alone, on chains built in memory: the rules an outsider's verifier must also follow.</summary>
public sealed class AuditChainVerifierTests : IDisposable
{
    private readonly AuditSigningKey _key = AuditSigningKey.Generate();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _key.Dispose();

    /// <summary>A valid chain of <paramref name="count"/> events from seq 1.</summary>
    private static List<AuditRecord> Chain(int count)
    {
        var chain = new List<AuditRecord>();
        var previous = AuditHash.Genesis;
        for (var seq = 1L; seq <= count; seq++)
        {
            var details = CanonicalJson.Serialize(new { n = seq, 备注 = "调阅" });
            var time = $"2026-11-22T08:00:{seq % 60:D2}.000001Z";
            var hash = AuditHash.Compute(seq, time, "user:a", "recording.viewed", "recording", $"r{seq}", details, previous);
            chain.Add(new AuditRecord(seq, time, "user:a", "recording.viewed", "recording", $"r{seq}", details, previous, hash));
            previous = hash;
        }

        return chain;
    }

    private CheckpointObject Checkpoint(AuditRecord at, AuditSigningKey? key = null)
    {
        key ??= _key;
        var statement = new CheckpointStatement(at.Seq, Convert.ToHexStringLower(at.Hash), "2026-11-22T09:00:00.000000Z", key.KeyId);
        var json = statement.ToCanonicalJson();
        return new CheckpointObject($"cp-{at.Seq}", new CheckpointDocument(statement, json, key.Sign(Encoding.UTF8.GetBytes(json))).ToBytes());
    }

    private Task<AuditVerification> VerifyAsync(IEnumerable<AuditRecord> events, IEnumerable<CheckpointObject> checkpoints, bool fromGenesis = true) =>
        new AuditChainVerifier([_key.PublicKey]).VerifyAsync(events.ToAsyncEnumerable(), checkpoints, fromGenesis, Token);

    [Fact]
    public void The_readme_test_vectors_hash_as_documented()
    {
        // README, "Audit trail": computed independently (Python, hashlib) from the written description.
        var first = AuditHash.Compute(1, "2026-11-22T08:00:00.000000Z", "system:test", "test.event", "test", "1", "{}", AuditHash.Genesis);
        var second = AuditHash.Compute(
            2, "2026-11-22T08:00:01.500000Z", "user:警号012345", "recording.viewed", "recording", "0193a1b2-0000-7000-8000-000000000001", "{\"reason\":\"法制审核\"}", first);

        Assert.Equal("a0d4434f99eb5b69d37582ad215ddd32dde6f52563533c58d1568480b6ad813f", Convert.ToHexStringLower(first));
        Assert.Equal("1867f27577c230524b0e22984f9f7258348c969a65493a7187a645259274ffe1", Convert.ToHexStringLower(second));
        Assert.Equal("{\"reason\":\"法制审核\"}", CanonicalJson.Serialize(new { reason = "法制审核" }));
    }

    [Fact]
    public async Task A_valid_chain_with_its_checkpoints_passes_through_each()
    {
        var chain = Chain(50);

        var result = await VerifyAsync(chain, [Checkpoint(chain[19]), Checkpoint(chain[49])]);

        Assert.True(result.IsValid);
        Assert.Equal([20L, 50L], result.Checkpoints.Select(c => c.Seq));
        Assert.Equal((1L, 50L, 50L), (result.FirstSeq!.Value, result.LastSeq!.Value, result.Events));
    }

    [Fact]
    public async Task A_chain_that_does_not_start_at_one_is_missing_its_beginning()
    {
        var chain = Chain(10);

        var result = await VerifyAsync(chain.Skip(3), []);

        Assert.Equal((1L, AuditProblemKind.Missing), (result.FirstProblem!.Seq!.Value, result.FirstProblem.Kind));
        Assert.Contains("events 1..3 are missing", result.FirstProblem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_first_event_whose_previous_hash_is_not_zero_breaks_the_chain()
    {
        var chain = Chain(3);
        chain[0] = chain[0] with { PrevHash = [.. Enumerable.Repeat((byte)7, 32)] };

        var result = await VerifyAsync(chain, [], fromGenesis: false);

        Assert.Contains(result.Problems, p => p is { Seq: 1, Kind: AuditProblemKind.BrokenLink });
    }

    [Fact]
    public async Task A_segment_verifies_from_its_first_event_and_ignores_earlier_checkpoints_with_a_note()
    {
        var chain = Chain(40);

        var result = await VerifyAsync(chain.Skip(20), [Checkpoint(chain[9]), Checkpoint(chain[39])], fromGenesis: false);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(21, result.FirstSeq);
        Assert.Contains(result.Notes, n => n.Contains("before this segment", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_repeated_event_in_an_export_is_reported_as_out_of_order()
    {
        var chain = Chain(10);

        var result = await VerifyAsync([.. chain.Take(6), chain[4], .. chain.Skip(6)], []);

        var problem = Assert.Single(result.Problems);
        Assert.Equal((5L, AuditProblemKind.OutOfOrder), (problem.Seq!.Value, problem.Kind));
    }

    [Fact]
    public async Task An_empty_chain_with_a_checkpoint_was_truncated_entirely()
    {
        var chain = Chain(5);

        var result = await VerifyAsync([], [Checkpoint(chain[4])]);

        Assert.Equal((1L, AuditProblemKind.Truncated), (result.FirstProblem!.Seq!.Value, result.FirstProblem.Kind));
    }

    [Fact]
    public async Task An_object_among_the_checkpoints_that_is_not_one_is_a_problem_without_a_sequence_number()
    {
        var chain = Chain(5);

        var result = await VerifyAsync(chain, [Checkpoint(chain[4]), new CheckpointObject("junk", "not json"u8.ToArray())]);

        var problem = Assert.Single(result.Problems);
        Assert.Equal((null, AuditProblemKind.UnreadableCheckpoint), (problem.Seq, problem.Kind));
    }

    [Fact]
    public async Task A_deleted_event_under_a_checkpoint_is_reported_first_as_missing()
    {
        var chain = Chain(20);

        var result = await VerifyAsync(chain.Where(e => e.Seq != 10), [Checkpoint(chain[9]), Checkpoint(chain[19])]);

        Assert.Equal((10L, AuditProblemKind.Missing), (result.FirstProblem!.Seq!.Value, result.FirstProblem.Kind));
        Assert.Contains(result.Problems, p => p.Kind == AuditProblemKind.CheckpointMismatch && p.Reason.Contains("event 10 is not in the chain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_lines_round_trip_every_field_byte_for_byte()
    {
        var chain = Chain(25);
        using var buffer = new MemoryStream();

        await AuditJsonLines.WriteAsync(buffer, chain.ToAsyncEnumerable(), Token);
        buffer.Position = 0;
        var read = new List<AuditRecord>();
        await foreach (var record in AuditJsonLines.ReadAsync(buffer, Token))
        {
            read.Add(record);
        }

        Assert.Equal(chain.Select(Describe), read.Select(Describe));
        Assert.True((await VerifyAsync(read, [Checkpoint(chain[24])])).IsValid);

        static string Describe(AuditRecord r) => $"{r.Seq}|{r.OccurredAt}|{r.Actor}|{r.Action}|{r.SubjectType}|{r.SubjectId}|{r.Details}|{Convert.ToHexString(r.PrevHash)}|{Convert.ToHexString(r.Hash)}";
    }

    [Fact]
    public async Task A_line_that_is_not_an_event_is_refused_with_its_line_number()
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes("{\"seq\":1}\n"));

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in AuditJsonLines.ReadAsync(input, Token))
            {
            }
        });

        Assert.StartsWith("line 1 is not an audit event", error.Message, StringComparison.Ordinal);
    }
}
