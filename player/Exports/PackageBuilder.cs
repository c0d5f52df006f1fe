using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Objects;
using Npgsql;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// Writes one export package (README "Package format") to a forward-only stream. The originals stream
/// from the evidence store into the ZIP 1 MiB at a time — never held whole — and each one's SHA-256 and
/// size, computed from the very bytes written, must equal what the catalogue recorded when it was
/// ingested, or the package is abandoned: a package never carries bytes that are not the original.
/// </summary>
public sealed class PackageBuilder(NpgsqlDataSource dataSource, IEvidenceStore store, ExportSigner signer, LocalClock clock)
{
    public const string Format = "enforcement-media/export/1";

    private static readonly JsonSerializerOptions ManifestJson = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<BuiltPackage> WriteAsync(Stream output, ExportRequest request, IReadOnlyList<PackageSource> sources, CustodyPlan custody, DateTimeOffset builtAt, CancellationToken cancellationToken)
    {
        var zip = await PackageWriter.CreateAsync(output, PackagePaths.Folder(request.Id), builtAt, cancellationToken);
        await using (zip)
        {
            var originals = new List<(PackageSource Source, PackageEntry Entry)>();
            foreach (var source in sources)
            {
                originals.Add((source, await AddOriginalAsync(zip, source, cancellationToken)));
            }

            var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
            await AddCustodyAsync(zip, request, sources, custody, builtAt, kinds, cancellationToken);
            kinds[(await zip.AddAsync(PackageResources.Readme, PackageResources.Read(PackageResources.Readme), cancellationToken)).Path] = "readme";
            kinds[(await zip.AddAsync(PackageResources.VerifyScript, PackageResources.Read(PackageResources.VerifyScript), cancellationToken, executable: true)).Path] = "verifier";
            kinds[(await zip.AddAsync(PackageResources.ChainVerifier, PackageResources.Read(PackageResources.ChainVerifier), cancellationToken, executable: true)).Path] = "verifier";

            var files = zip.Entries.ToList();
            var sums = Encoding.ASCII.GetBytes(string.Concat(files.Select(f => $"{f.Sha256}  {f.Path}\n")));
            var sumsEntry = await zip.AddAsync(PackagePaths.Checksums, sums, cancellationToken);
            var manifest = Manifest(request, originals, files, kinds, custody, sumsEntry.Sha256, builtAt);
            var manifestEntry = await zip.AddAsync(PackagePaths.Manifest, manifest, cancellationToken);
            await zip.AddAsync(PackagePaths.Signature, signer.Sign(manifest), cancellationToken);
            await zip.AddAsync(PackagePaths.PublicKey, Encoding.ASCII.GetBytes(signer.PublicKeyPem), cancellationToken);
            return new BuiltPackage(manifestEntry.Sha256, files);
        }
    }

    private async Task<PackageEntry> AddOriginalAsync(PackageWriter zip, PackageSource source, CancellationToken cancellationToken)
    {
        if (source.DisposedAt is not null)
        {
            throw new ObjectIntegrityException($"Recording {source.RecordingId} was disposed of at {source.DisposedAt:O}, after the request: it cannot be exported.");
        }

        if (source.Store != store.Name)
        {
            throw new ObjectIntegrityException($"The original of recording {source.RecordingId} is kept in {source.Store}, not in this player's store {store.Name}.");
        }

        var entry = await zip.AddAsync(
            PackagePaths.Original(source.Ordinal, source.Sha256, source.OriginalName),
            compress: false,
            async (target, token) =>
            {
                await using var original = await store.OpenReadAsync(source.Location, null, token);
                await original.CopyToAsync(target, 1 << 20, token);
            },
            cancellationToken);
        if (entry.Sha256 != source.Sha256 || entry.Size != source.Size)
        {
            throw new ObjectIntegrityException(
                $"The original of recording {source.RecordingId} read from {source.Location} has SHA-256 {entry.Sha256} ({entry.Size} bytes), not the {source.Sha256} ({source.Size} bytes) recorded at ingest: nothing is exported, run a fixity check.");
        }

        return entry;
    }

    private async Task AddCustodyAsync(
        PackageWriter zip, ExportRequest request, IReadOnlyList<PackageSource> sources, CustodyPlan custody, DateTimeOffset builtAt, Dictionary<string, string> kinds, CancellationToken cancellationToken)
    {
        var report = Encoding.UTF8.GetBytes(CustodyReportText.Render(request, sources, custody, builtAt, clock));
        kinds[(await zip.AddAsync("custody/report.txt", report, cancellationToken)).Path] = "custody-report";
        kinds[(await zip.AddAsync("custody/events.jsonl", compress: true, (stream, token) => AuditJsonLines.WriteAsync(stream, custody.Events.ToAsyncEnumerable(), token), cancellationToken)).Path] = "custody-events";
        foreach (var segment in custody.Segments)
        {
            var events = AuditEventReader.ReadAsync(dataSource, segment.From, segment.To, cancellationToken);
            kinds[(await zip.AddAsync($"custody/chain/{segment.FileName}", compress: true, (stream, token) => AuditJsonLines.WriteAsync(stream, events, token), cancellationToken)).Path] = "custody-chain";
        }

        foreach (var checkpoint in custody.Checkpoints)
        {
            var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(checkpoint.Content))[..16];
            var seq = CheckpointDocument.Parse(checkpoint.Content).Statement.Seq;
            kinds[(await zip.AddAsync($"custody/checkpoints/checkpoint-{seq:D12}-{digest}.json", checkpoint.Content, cancellationToken)).Path] = "custody-checkpoint";
        }

        foreach (var key in custody.Keys)
        {
            kinds[(await zip.AddAsync($"custody/audit-keys/{key.KeyId}.pem", Encoding.ASCII.GetBytes(key.Pem), cancellationToken)).Path] = "audit-key";
        }
    }

    private byte[] Manifest(
        ExportRequest request,
        IReadOnlyList<(PackageSource Source, PackageEntry Entry)> originals,
        IReadOnlyList<PackageEntry> files,
        Dictionary<string, string> kinds,
        CustodyPlan custody,
        string checksumsSha256,
        DateTimeOffset builtAt)
    {
        var byPath = originals.ToDictionary(o => o.Entry.Path, o => o.Source, StringComparer.Ordinal);
        var manifest = new
        {
            format = Format,
            exportId = request.Id,
            builtAt = Time(builtAt),
            request = new { requestedBy = request.RequestedByActor, requestedAt = Time(request.RequestedAt), reason = request.Reason, recipient = request.Recipient },
            approval = new { approvedBy = request.DecidedByActor, approvedAt = Time(request.DecidedAt), reason = request.DecisionReason },
            signingKeyId = signer.KeyId,
            sha256sums = checksumsSha256,
            files = files.Select(file => byPath.TryGetValue(file.Path, out var source)
                ? (object)new
                {
                    path = file.Path,
                    sha256 = file.Sha256,
                    size = file.Size,
                    kind = "original",
                    recordingId = source.RecordingId,
                    originalName = source.OriginalName,
                    caseNumbers = source.CaseNumbers,
                    classification = source.Classification,
                    deviceSerial = source.DeviceSerial,
                    officerId = source.OfficerId,
                    unitCode = source.UnitCode,
                    recorderStartedAt = Time(source.RecorderStartedAt),
                    ingestedAt = Time(source.IngestedAt),
                }
                : new { path = file.Path, sha256 = file.Sha256, size = file.Size, kind = kinds.GetValueOrDefault(file.Path, "other") }),
            custody = new
            {
                events = custody.Events.Count,
                coveredByCheckpoints = custody.AnchorOf.Count,
                checkpoints = custody.AnchorOf.Values.Distinct().Order(),
                segments = custody.Segments.Select(s => new { from = s.From, to = s.To }),
                findings = custody.Findings,
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson);
    }

    private static string? Time(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
