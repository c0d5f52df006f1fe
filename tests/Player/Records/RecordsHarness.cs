using System.Net.Http.Headers;
using Dapper;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Admin;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Audit.Checkpoints;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Tests.Player.Records;

/// <summary>Users, units and recordings in a <see cref="PlayerApp"/>, created through the app's own services.</summary>
public sealed class RecordsHarness(PlayerApp app)
{
    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public NpgsqlDataSource Catalogue => app.Service<NpgsqlDataSource>();

    /// <summary>A new unit, under <paramref name="parent"/> when one is given.</summary>
    public async Task<string> UnitAsync(string? parent = null)
    {
        var code = $"U{Guid.NewGuid():N}"[..20];
        await app.Service<AdminService>().CreateUnitAsync(code, "Test unit", parent, "user:test", Token);
        return code;
    }

    /// <summary>A new user with these roles and an API client that acts for them with a bearer token.</summary>
    public async Task<(HttpClient Client, UserAccount User)> BearerAsync(string[] roles, string? unit = null)
    {
        var user = await app.Service<AccountService>().CreateAsync($"b{Guid.NewGuid():N}"[..20], "API user", unit, roles, $"pw-{Guid.NewGuid():N}", mustChangePassword: false, "user:test", Token);
        var token = await app.Service<AccountService>().IssueOwnTokenAsync(user.Id, "tests", Token);
        var client = app.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, user);
    }

    /// <summary>Stores new content as a recording of this unit, through the real archive pipeline.</summary>
    public async Task<(ArchivedRecording Recording, byte[] Content)> RecordingAsync(string? unit, string? name = null, int size = 64 * 1024)
    {
        var content = Bytes.Random(size, Random.Shared.Next());
        var delivery = new Delivery(SourceKind.Command, "user:test", name ?? $"A100001_012345_{Random.Shared.Next(100000, 999999)}.mp4", UnitCode: unit, OfficerId: "012345", DeviceSerial: "A100001");
        return (await app.Service<RecordingArchive>().ArchiveAsync(new MemoryStream(content), delivery, null, Token), content);
    }

    /// <summary>As if the period had passed, in the catalogue only (the superuser plays time): the store still locks.</summary>
    public async Task AgeInCatalogueAsync(Guid recordingId)
    {
        var settings = new NpgsqlConnectionStringBuilder(TestServices.PostgresAdminConnection) { SearchPath = app.Schema };
        await using var admin = new NpgsqlConnection(settings.ConnectionString);
        await admin.OpenAsync(Token);
        await admin.ExecuteAsync(
            """
            UPDATE recordings SET retain_until = now() - interval '1 day', ingested_at = now() - interval '200 days' WHERE id = @recordingId;
            UPDATE stored_objects SET retain_until = now() - interval '1 day' WHERE recording_id = @recordingId;
            """,
            new { recordingId });
    }

    /// <summary>As if the period had passed at the filesystem store too: its lock record says so.</summary>
    public async Task AgeAtStoreAsync(ObjectRef location)
    {
        var root = app.Service<IOptions<FileSystemStoreOptions>>().Value.Root;
        var path = Path.Combine(root, "retention", location.Key + ".json");
        File.SetAttributes(path, FileAttributes.Normal);
        var past = TimeProvider.System.GetUtcNow().AddDays(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(path, $$"""{"retainUntil":"{{past}}","legalHold":false,"mode":"COMPLIANCE"}""", Token);
    }

    /// <summary>A recording of this unit whose period has ended in the catalogue and at the store: it may be disposed of.</summary>
    public async Task<ArchivedRecording> DueRecordingAsync(string? unit, string? name = null)
    {
        var (recording, _) = await RecordingAsync(unit, name);
        await AgeInCatalogueAsync(recording.RecordingId);
        await AgeAtStoreAsync(recording.Location);
        return recording;
    }

    /// <summary>Chains everything waiting in the outbox (the app's sealer would, a moment later).</summary>
    public async Task SealAsync()
    {
        while (await app.Service<AuditSealer>().SealBatchAsync(Token) > 0)
        {
        }
    }

    /// <summary>Seals, then signs a checkpoint at the head of the chain with the audit key the player trusts.</summary>
    public async Task<AuditCheckpoint> CheckpointAsync()
    {
        await SealAsync();
        using var keyring = AuditKeyring.Of(AuditSigningKey.FromPem(await File.ReadAllTextAsync(app.AuditKeyPath, Token)));
        var checkpointer = new AuditCheckpointer(
            Catalogue, app.Service<IEvidenceStore>(), keyring, Microsoft.Extensions.Options.Options.Create(new AuditOptions()), TimeProvider.System, NullLogger<AuditCheckpointer>.Instance);
        return await checkpointer.CheckpointIfDueAsync(force: true, Token) ?? throw new InvalidOperationException("No checkpoint was due.");
    }

    /// <summary>Audit events with this action, chained or still in the outbox.</summary>
    public async Task<long> EventsAsync(string action)
    {
        const string sql = "SELECT (SELECT count(*) FROM audit_events WHERE action = @action) + (SELECT count(*) FROM audit_outbox WHERE action = @action)";
        await using var connection = await Catalogue.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { action }, cancellationToken: Token));
    }

    /// <summary>Every audit event, chained or waiting: every change the player makes is one, so an unchanged count means nothing changed.</summary>
    public async Task<long> AllEventsAsync()
    {
        const string sql = "SELECT (SELECT count(*) FROM audit_events) + (SELECT count(*) FROM audit_outbox)";
        await using var connection = await Catalogue.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: Token));
    }

    /// <summary>The details of the newest event with this action about this subject, or null.</summary>
    public async Task<string?> LastEventAsync(string action, string subjectId)
    {
        await SealAsync();
        const string sql = "SELECT details FROM audit_events WHERE action = @action AND subject_id = @subjectId ORDER BY seq DESC LIMIT 1";
        await using var connection = await Catalogue.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(sql, new { action, subjectId }, cancellationToken: Token));
    }

    /// <summary>Who the newest event with this action about this subject names as its actor, or null.</summary>
    public async Task<string?> LastActorAsync(string action, string subjectId)
    {
        await SealAsync();
        const string sql = "SELECT actor FROM audit_events WHERE action = @action AND subject_id = @subjectId ORDER BY seq DESC LIMIT 1";
        await using var connection = await Catalogue.OpenConnectionAsync(Token);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(sql, new { action, subjectId }, cancellationToken: Token));
    }
}
