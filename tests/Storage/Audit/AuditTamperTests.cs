using System.Text;
using Amazon.S3.Model;
using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Audit.Checkpoints;
using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Storage.Audit;

/// <summary>
/// Tamper tests, against real PostgreSQL and Ceph RGW with Object Lock: an attacker with
/// full database access (the superuser) or the service's own S3 credentials changes the trail, and
/// the verifier names the first bad sequence number and why. Each test has a trail of its own.
/// </summary>
public sealed class AuditTamperTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<AuditVerification> VerifyAsync(AuditScenario scenario) =>
        await scenario.Verifier.VerifyCatalogueAsync([], Token);

    [Fact]
    public async Task An_untouched_trail_verifies_through_all_its_checkpoints()
    {
        await using var scenario = await AuditScenario.OnS3Async();
        await scenario.AppendSealAndCheckpointAsync(10, Token);
        await scenario.AppendSealAndCheckpointAsync(10, Token);

        var result = await VerifyAsync(scenario);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        // The migrations, the 20 events, and the first checkpoint's "audit.signing-key-changed".
        Assert.Equal(AuditScenario.MigrationEvents + 20 + 1, result.Events);
        Assert.Equal(2, result.Checkpoints.Count);
        Assert.Equal(result.LastSeq, result.Checkpoints.Max(c => c.Seq));
    }

    [Fact]
    public async Task A_rows_details_changed_by_a_superuser_are_caught_at_that_sequence_number()
    {
        await using var scenario = await AuditScenario.OnS3Async();
        await scenario.AppendSealAndCheckpointAsync(30, Token);
        var target = AuditScenario.MigrationEvents + 12;

        await scenario.TamperAsync("UPDATE audit_events SET details = '{\"n\":11,\"reason\":\"nothing to see\"}' WHERE seq = @target", new { target }, Token);

        var first = (await VerifyAsync(scenario)).FirstProblem;
        Assert.NotNull(first);
        Assert.Equal(target, first.Seq);
        Assert.Equal(AuditProblemKind.HashMismatch, first.Kind);
    }

    [Fact]
    public async Task A_deleted_row_is_caught_as_the_missing_sequence_number()
    {
        await using var scenario = await AuditScenario.OnS3Async();
        await scenario.AppendSealAndCheckpointAsync(30, Token);
        var target = AuditScenario.MigrationEvents + 12;

        await scenario.TamperAsync("DELETE FROM audit_events WHERE seq = @target", new { target }, Token);

        var result = await VerifyAsync(scenario);
        Assert.Equal(target, result.FirstProblem?.Seq);
        Assert.Equal(AuditProblemKind.Missing, result.FirstProblem?.Kind);
        Assert.Contains($"event {target} is missing", result.FirstProblem?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_swapped_rows_are_caught_at_the_first_of_them()
    {
        await using var scenario = await AuditScenario.OnS3Async();
        await scenario.AppendSealAndCheckpointAsync(30, Token);
        var target = AuditScenario.MigrationEvents + 12;

        // Swap the two events' places in the chain (their sequence numbers), via a free number.
        await scenario.TamperAsync(
            """
            UPDATE audit_events SET seq = 4611686018427387904 WHERE seq = @a;
            UPDATE audit_events SET seq = @a WHERE seq = @b;
            UPDATE audit_events SET seq = @b WHERE seq = 4611686018427387904;
            """,
            new { a = target, b = target + 1 },
            Token);

        var result = await VerifyAsync(scenario);
        Assert.Equal(target, result.FirstProblem?.Seq);
        Assert.Contains(result.Problems, p => p.Seq == target && p.Kind == AuditProblemKind.BrokenLink);
        Assert.Contains(result.Problems, p => p.Seq == target && p.Kind == AuditProblemKind.HashMismatch);
    }

    [Fact]
    public async Task A_truncated_tail_is_caught_through_the_checkpoint_in_the_store_even_with_its_catalogue_row_gone()
    {
        await using var scenario = await AuditScenario.OnS3Async();
        var checkpoint = await scenario.AppendSealAndCheckpointAsync(30, Token);
        var keep = AuditScenario.MigrationEvents + 25;

        // The attacker cuts the last events and the catalogue's record of the checkpoint too.
        await scenario.TamperAsync(
            """
            DELETE FROM audit_events WHERE seq > @keep;
            ALTER TABLE audit_checkpoints DISABLE TRIGGER USER;
            DELETE FROM audit_checkpoints;
            ALTER TABLE audit_checkpoints ENABLE TRIGGER USER;
            """,
            new { keep },
            Token);

        var result = await VerifyAsync(scenario);
        Assert.Equal(keep + 1, result.FirstProblem?.Seq);
        Assert.Equal(AuditProblemKind.Truncated, result.FirstProblem?.Kind);
        Assert.Contains($"seq {checkpoint.Document.Statement.Seq}", result.FirstProblem?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_rewritten_consistently_after_a_checkpoint_is_caught_by_the_next_checkpoint()
    {
        await using var scenario = await AuditScenario.OnS3Async();
        var anchored = (await scenario.AppendSealAndCheckpointAsync(10, Token)).Document.Statement.Seq;
        await scenario.AppendSealAndCheckpointAsync(20, Token);

        // Change one event and recompute every hash after it, so the chain is internally perfect.
        await scenario.TamperAsync("UPDATE audit_events SET details = '{\"n\":3,\"reason\":\"rewritten\"}' WHERE seq = @seq", new { seq = anchored + 4 }, Token);
        var records = await ToListAsync(AuditEventReader.ReadAsync(scenario.Catalogue.DataSource, anchored + 1, null, Token));
        var previous = (await ToListAsync(AuditEventReader.ReadAsync(scenario.Catalogue.DataSource, anchored, anchored, Token)))[0].Hash;
        foreach (var record in records)
        {
            var hash = AuditHash.Compute(record.Seq, record.OccurredAt, record.Actor, record.Action, record.SubjectType, record.SubjectId, record.Details, previous);
            await scenario.TamperAsync("UPDATE audit_events SET prev_hash = @previous, hash = @hash WHERE seq = @Seq", new { previous, hash, record.Seq }, Token);
            previous = hash;
        }

        var result = await VerifyAsync(scenario);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(AuditProblemKind.CheckpointMismatch, problem.Kind);
        Assert.Equal(anchored + 1, problem.Seq);
    }

    [Fact]
    public async Task A_forged_checkpoint_with_an_altered_statement_is_caught_by_its_signature()
    {
        await using var scenario = await AuditScenario.OnS3Async();
        var genuine = await scenario.AppendSealAndCheckpointAsync(20, Token);

        // Claim a later seq with the genuine signature, and lock it in the store as the service could.
        var statement = genuine.Document.Statement with { Seq = genuine.Document.Statement.Seq + 5 };
        var forged = genuine.Document with { Statement = statement, StatementJson = statement.ToCanonicalJson() };
        await StoreLockedAsync(scenario.Store, forged.ToBytes());

        var result = await VerifyAsync(scenario);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(AuditProblemKind.ForgedCheckpoint, problem.Kind);
        Assert.Equal(statement.Seq, problem.Seq);
    }

    [Fact]
    public async Task A_checkpoint_signed_by_another_key_is_caught_as_untrusted()
    {
        await using var scenario = await AuditScenario.OnS3Async();
        var genuine = await scenario.AppendSealAndCheckpointAsync(20, Token);
        using var attackersKey = AuditSigningKey.Generate();

        // The attacker truncates the chain and vouches for the shorter head with a key of their own.
        var keep = genuine.Document.Statement.Seq - 5;
        var head = await scenario.AdminQuerySingleAsync<byte[]>("SELECT hash FROM audit_events WHERE seq = @keep", new { keep }, Token);
        var statement = new CheckpointStatement(keep, Convert.ToHexStringLower(head), AuditHash.FormatTime(TimeProvider.System.GetUtcNow().UtcDateTime), attackersKey.KeyId);
        var statementJson = statement.ToCanonicalJson();
        await StoreLockedAsync(scenario.Store, new CheckpointDocument(statement, statementJson, attackersKey.Sign(Encoding.UTF8.GetBytes(statementJson))).ToBytes());

        var result = await VerifyAsync(scenario);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(AuditProblemKind.UnknownKey, problem.Kind);
        Assert.Equal(keep, problem.Seq);
    }

    [Fact]
    public async Task A_checkpoint_object_replaced_in_the_store_leaves_the_sealed_version_which_still_verifies()
    {
        await using var scenario = await AuditScenario.OnS3Async();
        var genuine = await scenario.AppendSealAndCheckpointAsync(20, Token);
        var location = genuine.StoredObject.Location;

        // A PUT to the same key with the service's own credentials is only a new version.
        var forged = Encoding.UTF8.GetBytes("{\"algorithm\":\"ECDSA-P256-SHA256\",\"signature\":\"AAAA\",\"statement\":\"forged\"}");
        var put = await scenario.Bucket.Raw.PutObjectAsync(new PutObjectRequest { BucketName = scenario.Bucket.Options.Bucket, Key = location.Key, InputStream = new MemoryStream(forged) }, Token);
        // Deleting the sealed version is refused by COMPLIANCE retention.
        await Assert.ThrowsAsync<ObjectLockedException>(() => scenario.Store.DeleteAsync(location, Token));

        Assert.NotEqual(location.VersionId, put.VersionId);
        Assert.Equal(genuine.Document.ToBytes(), await scenario.Bucket.GetVersionAsync(location.Key, location.VersionId!, Token));
        var result = await VerifyAsync(scenario);
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(location.VersionId, ParseVersion(Assert.Single(result.Checkpoints).Source));
        Assert.Contains(result.Notes, n => n.Contains(put.VersionId, StringComparison.Ordinal) && n.Contains("not locked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_command_form_exits_non_zero_and_prints_the_first_bad_sequence_number()
    {
        await using var scenario = await AuditScenario.OnS3Async();
        await scenario.AppendSealAndCheckpointAsync(20, Token);
        var target = AuditScenario.MigrationEvents + 7;

        var intact = await IngestCli.RunAsync(["audit", "verify"], scenario.Environment(), Token);
        await scenario.TamperAsync("UPDATE audit_events SET actor = 'user:someone-else' WHERE seq = @target", new { target }, Token);
        var tampered = await IngestCli.RunAsync(["audit", "verify"], scenario.Environment(), Token);

        Assert.True(intact.ExitCode == 0, intact.Output + intact.Error);
        Assert.Contains("VALID", intact.Output, StringComparison.Ordinal);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains($"INVALID: first bad sequence number {target}: HashMismatch", tampered.Output, StringComparison.Ordinal);

        // Both verdicts are kept for the integrity page, each audited; the failed one raised an alert, with its job.
        await using var connection = await scenario.Catalogue.DataSource.OpenConnectionAsync(Token);
        var verdicts = (await connection.QueryAsync<(bool Valid, long? FirstProblemSeq, string? FirstProblemKind)>(
            "SELECT valid, first_problem_seq, first_problem_kind FROM audit_verifications ORDER BY finished_at")).ToList();
        Assert.Equal(new List<(bool, long?, string?)> { (true, null, null), (false, target, "HashMismatch") }, verdicts);
        Assert.Equal(["audit.verified", "audit.verify-failed"], await connection.QueryAsync<string>(
            "SELECT action FROM audit_outbox WHERE subject_type = 'audit_verification' ORDER BY id"));
        Assert.Equal(("audit.verify-failed", 1L), await connection.QuerySingleAsync<(string, long)>(
            "SELECT kind, (SELECT count(*) FROM jobs WHERE kind = 'alert') FROM alerts"));
    }

    [Fact]
    public async Task An_export_verifies_elsewhere_and_an_edited_export_is_caught_at_the_edited_line()
    {
        await using var scenario = await AuditScenario.OnS3Async();
        await scenario.AppendSealAndCheckpointAsync(20, Token);
        using var elsewhere = new TempFolder();
        var events = elsewhere.Combine("events.jsonl");

        var export = await IngestCli.RunAsync(["audit", "export", "--out", events], scenario.Environment(), Token);
        Assert.True(export.ExitCode == 0, export.Output + export.Error);
        File.Copy(elsewhere.Combine("audit-public-key.pem"), elsewhere.Combine("published.pem"));

        // Verified with no access to the system: no database, no store, only the files and the key.
        var outsider = new Dictionary<string, string> { ["ConnectionStrings__Catalogue"] = "Host=nowhere.invalid;Username=nobody" };
        var intact = await IngestCli.RunAsync(["audit", "verify", "--from", events, "--public-key", elsewhere.Combine("published.pem")], outsider, Token);
        var lines = await File.ReadAllLinesAsync(events, Token);
        var target = AuditScenario.MigrationEvents + 9;
        lines[target - 1] = lines[target - 1].Replace("法制审核 review", "法制审核 reviewed", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(events, lines, Token);
        var edited = await IngestCli.RunAsync(["audit", "verify", "--from", events, "--public-key", elsewhere.Combine("published.pem")], outsider, Token);

        Assert.True(intact.ExitCode == 0, intact.Output + intact.Error);
        Assert.Contains("Checkpoints passed through: 1", intact.Output, StringComparison.Ordinal);
        Assert.Equal(1, edited.ExitCode);
        Assert.Contains($"first bad sequence number {target}: HashMismatch", edited.Output, StringComparison.Ordinal);
    }

    private static async Task StoreLockedAsync(IEvidenceStore store, byte[] content)
    {
        var pending = await store.WriteAsync(ObjectWrite.New(ObjectKind.Checkpoint, "application/json"), new MemoryStream(content), null, Token);
        await store.SealAsync(pending, new ObjectLock(TimeProvider.System.GetUtcNow().AddDays(1)), Token);
    }

    private static string ParseVersion(string source) => source[(source.IndexOf("?versionId=", StringComparison.Ordinal) + "?versionId=".Length)..];

    private static async Task<List<AuditRecord>> ToListAsync(IAsyncEnumerable<AuditRecord> records)
    {
        var list = new List<AuditRecord>();
        await foreach (var record in records)
        {
            list.Add(record);
        }

        return list;
    }
}
