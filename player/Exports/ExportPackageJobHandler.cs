using System.Text.Json;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// Builds approved export packages: the <c>export-package</c> jobs, run by the player's
/// <see cref="JobWorker"/> (SKIP LOCKED, so any number of player instances share them; the lease is
/// kept while a package streams, and a build that failed for a passing reason is retried). A package
/// whose original does not hash as recorded fails at once: retrying cannot make wrong bytes right.
/// A player without a signing key takes none of these jobs.
/// </summary>
public sealed class ExportPackageJobHandler(ExportPackager packager, ExportSigner signer) : IJobHandler
{
    public string Kind => ExportService.JobKind;

    public string? Disabled => signer.IsConfigured
        ? null
        : $"no export signing key ({ExportOptions.Section}:SigningKeyPath), so this player builds no export packages and refuses export requests";

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var exportId = ExportOf(job);
        try
        {
            await packager.BuildAsync(exportId, cancellationToken);
        }
        catch (ObjectIntegrityException ex)
        {
            // Recorded whatever the shutdown, as the worker records a failure; the job itself is done.
            await packager.FailAsync(exportId, ex.Message, CancellationToken.None);
        }
    }

    public Task GaveUpAsync(ClaimedJob job, Exception failure, CancellationToken cancellationToken) =>
        packager.FailAsync(ExportOf(job), $"gave up after {job.Attempts} attempts: {failure.Message}", cancellationToken);

    private static Guid ExportOf(ClaimedJob job) => JsonDocument.Parse(job.Payload).RootElement.GetProperty("exportId").GetGuid();
}
