using System.Security.Cryptography;
using System.Text;
using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Audit.Checkpoints;
using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Startup;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Enforcement.Media.Tests.Storage.Audit;

/// <summary>When checkpoints are written, what they are in the store, and that an outsider's tools verify them.</summary>
public sealed class AuditCheckpointTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_checkpoint_falls_due_after_the_configured_number_of_events_and_not_before()
    {
        await using var scenario = await AuditScenario.OnFileSystemAsync(new FakeTimeProvider(TimeProvider.System.GetUtcNow()));
        scenario.Options.CheckpointEvery = 5;
        await scenario.AppendSealAndCheckpointAsync(1, Token);
        await scenario.Sealer.SealAllAsync(Token); // the first checkpoint's key event

        await scenario.AppendAndSealAsync(3, Token);
        var early = await scenario.Checkpointer.CheckpointIfDueAsync(force: false, Token);
        await scenario.AppendAndSealAsync(1, Token);
        var due = await scenario.Checkpointer.CheckpointIfDueAsync(force: false, Token);

        Assert.Null(early);
        Assert.NotNull(due);
        Assert.Equal(await scenario.ScalarAsync("SELECT max(seq) FROM audit_events", Token), due.Document.Statement.Seq);
    }

    [Fact]
    public async Task A_checkpoint_falls_due_once_the_oldest_uncovered_event_is_older_than_the_interval()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var scenario = await AuditScenario.OnFileSystemAsync(time);
        scenario.Options.CheckpointInterval = TimeSpan.FromMinutes(5);
        await scenario.AppendSealAndCheckpointAsync(1, Token);
        await scenario.Sealer.SealAllAsync(Token);
        await scenario.Checkpointer.CheckpointIfDueAsync(force: true, Token);

        await scenario.AppendAndSealAsync(1, Token);
        time.Advance(TimeSpan.FromMinutes(4));
        var early = await scenario.Checkpointer.CheckpointIfDueAsync(force: false, Token);
        time.Advance(TimeSpan.FromMinutes(1));
        var due = await scenario.Checkpointer.CheckpointIfDueAsync(force: false, Token);

        Assert.Null(early);
        Assert.NotNull(due);
    }

    [Fact]
    public async Task With_nothing_new_in_the_chain_no_second_checkpoint_is_written()
    {
        await using var scenario = await AuditScenario.OnFileSystemAsync();
        await scenario.AppendSealAndCheckpointAsync(2, Token);

        Assert.Null(await scenario.Checkpointer.CheckpointIfDueAsync(force: true, Token));
    }

    [Fact]
    public async Task A_checkpoint_is_a_compliance_locked_object_in_the_store_and_a_row_in_the_catalogue()
    {
        await using var scenario = await AuditScenario.OnS3Async();
        scenario.Options.CheckpointRetentionDays = 3650;

        var checkpoint = await scenario.AppendSealAndCheckpointAsync(3, Token);

        var retention = await scenario.Store.GetRetentionAsync(checkpoint.StoredObject.Location, Token);
        Assert.Equal(ObjectRetention.Compliance, retention.Mode);
        Assert.True(retention.RetainUntil > TimeProvider.System.GetUtcNow().AddDays(3649));
        Assert.StartsWith("checkpoint/", checkpoint.StoredObject.Location.Key, StringComparison.Ordinal);
        var stored = await Bytes.ReadAllAsync(await scenario.Store.OpenReadAsync(checkpoint.StoredObject.Location, null, Token), Token);
        Assert.Equal(checkpoint.Document.ToBytes(), stored);
        await using var connection = await scenario.Catalogue.DataSource.OpenConnectionAsync(Token);
        var row = await connection.QuerySingleAsync<(long Seq, string Document, string Kind, string ObjectKey, string VersionId)>(
            "SELECT c.seq, c.document, o.kind, o.object_key, o.version_id FROM audit_checkpoints c JOIN stored_objects o ON o.id = c.object_id");
        Assert.Equal((checkpoint.Document.Statement.Seq, Encoding.UTF8.GetString(stored), "checkpoint", checkpoint.StoredObject.Location.Key, checkpoint.StoredObject.Location.VersionId),
            (row.Seq, row.Document, row.Kind, row.ObjectKey, row.VersionId));
    }

    [Fact]
    public async Task Openssl_verifies_a_checkpoint_with_the_published_public_key_as_the_readme_says()
    {
        await using var scenario = await AuditScenario.OnFileSystemAsync();
        var checkpoint = await scenario.AppendSealAndCheckpointAsync(2, Token);
        using var folder = new TempFolder();
        var document = CheckpointDocument.Parse(checkpoint.Document.ToBytes());
        await File.WriteAllTextAsync(folder.Combine("statement.json"), document.StatementJson, Token);
        await File.WriteAllBytesAsync(folder.Combine("signature.der"), document.Signature, Token);
        await File.WriteAllTextAsync(folder.Combine("public.pem"), scenario.Key.PublicKey.Pem, Token);
        await File.WriteAllTextAsync(folder.Combine("altered.json"), document.StatementJson.Replace("\"seq\":", "\"seq\":1", StringComparison.Ordinal), Token);

        var verified = await ExternalCommand.RunAsync("openssl", ["dgst", "-sha256", "-verify", "public.pem", "-signature", "signature.der", "statement.json"], null, folder.Path, Token);
        var altered = await ExternalCommand.RunAsync("openssl", ["dgst", "-sha256", "-verify", "public.pem", "-signature", "signature.der", "altered.json"], null, folder.Path, Token);
        var der = await ExternalCommand.RunAsync("openssl", ["pkey", "-pubin", "-in", "public.pem", "-outform", "DER", "-out", "public.der"], null, folder.Path, Token);

        Assert.Equal((0, "Verified OK"), (verified.ExitCode, verified.Output.Trim()));
        Assert.NotEqual(0, altered.ExitCode);
        Assert.Equal(0, der.ExitCode);
        Assert.Equal(document.Statement.KeyId, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(folder.Combine("public.der"), Token))));
    }

    [Fact]
    public async Task A_new_signing_key_is_recorded_in_the_trail_and_old_checkpoints_verify_only_while_the_old_key_is_trusted()
    {
        await using var scenario = await AuditScenario.OnFileSystemAsync();
        var old = await scenario.AppendSealAndCheckpointAsync(2, Token);
        using var next = AuditSigningKey.Generate();
        var rotated = new AuditCheckpointer(
            scenario.Catalogue.DataSource, scenario.Store, AuditKeyring.Of(next), Microsoft.Extensions.Options.Options.Create(scenario.Options), TimeProvider.System, NullLogger<AuditCheckpointer>.Instance);

        await scenario.AppendAndSealAsync(2, Token);
        await rotated.CheckpointIfDueAsync(force: true, Token);
        await scenario.Sealer.SealAllAsync(Token);

        await using (var connection = await scenario.Catalogue.DataSource.OpenConnectionAsync(Token))
        {
            var details = await connection.QuerySingleAsync<string>("SELECT details FROM audit_events WHERE action = 'audit.signing-key-changed' AND details LIKE '%' || @KeyId || '%'", new { next.KeyId });
            Assert.Contains($"\"previousKeyId\":\"{scenario.Key.KeyId}\"", details, StringComparison.Ordinal);
        }

        var bothTrusted = await new AuditTrailVerifier(scenario.Catalogue.DataSource, scenario.Store, AuditKeyring.Of(next, scenario.Key.PublicKey)).VerifyCatalogueAsync([], Token);
        var onlyNew = await new AuditTrailVerifier(scenario.Catalogue.DataSource, scenario.Store, AuditKeyring.Of(next)).VerifyCatalogueAsync([], Token);
        Assert.True(bothTrusted.IsValid, string.Join("\n", bothTrusted.Problems));
        Assert.Equal(2, bothTrusted.Checkpoints.Count);
        var untrusted = Assert.Single(onlyNew.Problems);
        Assert.Equal((AuditProblemKind.UnknownKey, old.Document.Statement.Seq), (untrusted.Kind, untrusted.Seq));
    }

    [Fact]
    public async Task A_key_made_by_openssl_genpkey_as_the_readme_says_signs_verifiable_checkpoints()
    {
        using var folder = new TempFolder();
        var made = await ExternalCommand.RunAsync("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem"], null, folder.Path, Token);
        Assert.True(made.ExitCode == 0, made.Error);

        using var keyring = AuditKeyring.Load(new AuditOptions { SigningKeyPath = folder.Combine("key.pem") });
        var statement = new CheckpointStatement(1, new string('a', 64), "2026-11-22T08:00:00.000000Z", keyring.SigningKey!.KeyId);
        var json = statement.ToCanonicalJson();
        var document = new CheckpointDocument(statement, json, keyring.SigningKey.Sign(Encoding.UTF8.GetBytes(json)));

        Assert.True(CheckpointDocument.Parse(document.ToBytes()).IsSignedBy(Assert.Single(keyring.TrustedKeys)));
    }

    [Fact]
    public void A_signing_key_on_another_curve_is_refused_naming_the_setting()
    {
        using var folder = new TempFolder();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        File.WriteAllText(folder.Combine("p384.pem"), p384.ExportPkcs8PrivateKeyPem());

        var error = Assert.Throws<StartupCheckException>(() => AuditKeyring.Load(new AuditOptions { SigningKeyPath = folder.Combine("p384.pem") }));

        Assert.Equal("Audit:SigningKeyPath", error.Setting);
        Assert.Contains("not NIST P-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_trusted_key_file_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<StartupCheckException>(() => AuditKeyring.Load(new AuditOptions { TrustedKeyPaths = ["/nonexistent/old-key.pem"] }));

        Assert.Equal("Audit:TrustedKeyPaths:0", error.Setting);
    }

    [Fact]
    public async Task Keygen_writes_a_private_p256_key_only_its_owner_can_read_and_never_overwrites_one()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("keys", "signing.pem");

        var first = await IngestCli.RunAsync(["audit", "keygen", "--out", path], new Dictionary<string, string>(), Token);
        var written = await File.ReadAllTextAsync(path, Token);
        var second = await IngestCli.RunAsync(["audit", "keygen", "--out", path], new Dictionary<string, string>(), Token);
        var published = await IngestCli.RunAsync(["audit", "public-key"], new Dictionary<string, string> { ["Audit__SigningKeyPath"] = path }, Token);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using var key = AuditSigningKey.FromPem(written);
        Assert.Equal(1, second.ExitCode);
        Assert.Equal(written, await File.ReadAllTextAsync(path, Token));
        Assert.Equal(0, published.ExitCode);
        Assert.Contains($"# key id {key.KeyId} (signing now)", published.Output, StringComparison.Ordinal);
        Assert.Contains(key.PublicKey.Pem.Trim(), published.Output, StringComparison.Ordinal);
    }
}
