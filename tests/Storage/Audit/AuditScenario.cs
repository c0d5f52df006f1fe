using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Audit.Checkpoints;
using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Objects.FileSystem;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Enforcement.Media.Tests.Storage.Audit;

/// <summary>
/// One audit trail of its own: a fresh catalogue schema (migrated as the owner, used as the
/// application role), a fresh evidence store (an Object Lock bucket on Ceph RGW, or a filesystem
/// store), a signing key written to a PEM file, and the real sealer, checkpointer and verifier.
/// Each tamper test gets its own, so one test's forgery never touches another's chain.
/// </summary>
public sealed class AuditScenario : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private S3BucketFixture? _bucket;

    private AuditScenario(CatalogueFixture catalogue, AuditSigningKey key, TimeProvider time)
    {
        Catalogue = catalogue;
        Key = key;
        Time = time;
        KeyPath = _folder.Combine("audit-signing-key.pem");
        File.WriteAllText(KeyPath, key.ExportPrivateKeyPem());
    }

    public CatalogueFixture Catalogue { get; }

    public AuditSigningKey Key { get; }

    public string KeyPath { get; }

    public TimeProvider Time { get; }

    public IEvidenceStore Store { get; private set; } = null!;

    public S3BucketFixture Bucket => _bucket ?? throw new InvalidOperationException("This scenario uses the filesystem store.");

    public string FileStoreRoot => _folder.Combine("evidence");

    public AuditOptions Options { get; } = new() { CheckpointEvery = 1_000_000, CheckpointInterval = TimeSpan.FromDays(1) };

    /// <summary>The first events of every chain: one per migration applied (sealed with the first batch).</summary>
    public static int MigrationEvents => Migration.Embedded.Count;

    public AuditTrail Trail => new(Catalogue.DataSource, Time);

    public AuditSealer Sealer => new(Catalogue.DataSource, NullLogger<AuditSealer>.Instance);

    public AuditKeyring Keyring => AuditKeyring.Of(Key);

    public AuditCheckpointer Checkpointer => new(Catalogue.DataSource, Store, Keyring, Microsoft.Extensions.Options.Options.Create(Options), Time, NullLogger<AuditCheckpointer>.Instance);

    public AuditTrailVerifier Verifier => new(Catalogue.DataSource, Store, Keyring);

    public static async Task<AuditScenario> OnS3Async(TimeProvider? time = null)
    {
        var scenario = await CreateAsync(time);
        scenario._bucket = new S3BucketFixture();
        await scenario._bucket.InitializeAsync();
        scenario.Store = scenario._bucket.Store;
        return scenario;
    }

    public static async Task<AuditScenario> OnFileSystemAsync(TimeProvider? time = null)
    {
        var scenario = await CreateAsync(time);
        scenario.Store = new FileSystemEvidenceStore(
            Microsoft.Extensions.Options.Options.Create(new FileSystemStoreOptions { Root = scenario.FileStoreRoot }), scenario.Time, NullLogger<FileSystemEvidenceStore>.Instance);
        await scenario.Store.EnsureReadyAsync(CancellationToken.None);
        return scenario;
    }

    /// <summary>Appends <paramref name="count"/> events (details carry their number) and chains them.</summary>
    public async Task AppendAndSealAsync(int count, CancellationToken cancellationToken)
    {
        await using (var connection = await Catalogue.DataSource.OpenConnectionAsync(cancellationToken))
        {
            for (var i = 0; i < count; i++)
            {
                await Trail.AppendAsync(connection, null, new AuditEntry("user:officer-0042", "recording.viewed", "recording", Guid.CreateVersion7().ToString(), new { n = i, reason = "法制审核 review" }), cancellationToken);
            }
        }

        await Sealer.SealAllAsync(cancellationToken);
    }

    /// <summary>Appends, chains and checkpoints: afterwards the chain ends at a checkpoint.</summary>
    public async Task<AuditCheckpoint> AppendSealAndCheckpointAsync(int count, CancellationToken cancellationToken)
    {
        await AppendAndSealAsync(count, cancellationToken);
        return await Checkpointer.CheckpointIfDueAsync(force: true, cancellationToken) ?? throw new InvalidOperationException("No checkpoint was written.");
    }

    /// <summary>
    /// What an attacker with full database access does: as the superuser, disable the append-only
    /// triggers, change the rows, enable them again.
    /// </summary>
    public async Task TamperAsync(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var admin = await Catalogue.OpenAdminAsync(cancellationToken);
        await using var transaction = await admin.BeginTransactionAsync(cancellationToken);
        await admin.ExecuteAsync(new CommandDefinition("ALTER TABLE audit_events DISABLE TRIGGER USER", transaction: transaction, cancellationToken: cancellationToken));
        await admin.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
        await admin.ExecuteAsync(new CommandDefinition("ALTER TABLE audit_events ENABLE TRIGGER USER", transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The configuration an operator gives the <c>ingest</c> program for this scenario (environment variables).</summary>
    public Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Catalogue"] = TestServices.PostgresConnection,
            ["Catalogue__Schema"] = Catalogue.Schema,
            ["Audit__SigningKeyPath"] = KeyPath,
        };
        if (_bucket is { } bucket)
        {
            environment["Store__Kind"] = "S3";
            environment["Store__S3__ServiceUrl"] = bucket.Options.ServiceUrl;
            environment["Store__S3__AccessKey"] = bucket.Options.AccessKey;
            environment["Store__S3__SecretKey"] = bucket.Options.SecretKey;
            environment["Store__S3__Bucket"] = bucket.Options.Bucket;
        }
        else
        {
            environment["Store__Kind"] = "FileSystem";
            environment["Store__FileSystem__Root"] = FileStoreRoot;
        }

        return environment;
    }

    public async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await Catalogue.DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        if (_bucket is not null)
        {
            await _bucket.DisposeAsync();
        }

        await Catalogue.DisposeAsync();
        Key.Dispose();
        _folder.Dispose();
    }

    private static async Task<AuditScenario> CreateAsync(TimeProvider? time)
    {
        var catalogue = new CatalogueFixture();
        await catalogue.InitializeAsync();
        return new AuditScenario(catalogue, AuditSigningKey.Generate(), time ?? TimeProvider.System);
    }

    /// <summary>Reads one chained event's columns as the superuser sees them.</summary>
    public async Task<T> AdminQuerySingleAsync<T>(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection admin = await Catalogue.OpenAdminAsync(cancellationToken);
        return await admin.QuerySingleAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }
}
