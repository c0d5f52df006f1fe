using Enforcement.Media.Ingest.Media.Derivatives;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Jobs;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Publications;
using Enforcement.Media.Storage.Redactions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// The <c>publication</c> job: the copy the public would see — the redaction's ready output with the
/// publication's watermark burned in — rendered before anyone decides, so the approver sees the exact
/// bytes. Stored as a <c>redacted</c> object whose provenance names the redacted output as its input.
/// Failures are handled as for redactions: refused or failed renders at once, outages on the last attempt.
/// </summary>
public sealed partial class PublicationJobHandler(
    PublicationStore publications,
    RedactionStore redactions,
    ReleaseRenderer renderer,
    IOptions<MediaOptions> options,
    ILogger<PublicationJobHandler> logger) : IJobHandler
{
    public string Kind => JobKinds.Publication;

    public string Pool => JobPools.Media;

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var id = JobPayloads.Id(job, "publicationId");
        var publication = await publications.FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Publication {id} is not in the catalogue.");
        if (!await publications.MarkRenderingAsync(id, cancellationToken))
        {
            LogNothingToDo(id, publication.State, publication.RenderState);
            return;
        }

        Guid? objectId = null;
        var failure = await RenderAttempt.RunAsync(
            job,
            async () =>
            {
                (objectId, var refused) = await RenderAsync(job, publication, cancellationToken);
                return refused;
            },
            reason => publications.MarkFailedAsync(id, reason, CancellationToken.None),
            cancellationToken);
        if (failure is null)
        {
            await publications.MarkReadyAsync(id, objectId!.Value, cancellationToken);
        }
        else
        {
            await publications.MarkFailedAsync(id, failure, cancellationToken);
            LogFailed(id, failure);
        }
    }

    private async Task<(Guid? ObjectId, string? Failure)> RenderAsync(ClaimedJob job, PublicationRecord publication, CancellationToken cancellationToken)
    {
        var redaction = await redactions.FindAsync(publication.RedactionId, cancellationToken);
        if (redaction?.Output is not { } redacted)
        {
            return (null, $"The redaction has no rendered output to publish (it is {redaction?.State ?? "missing"}).");
        }

        var photo = redacted.ContentType == "image/jpeg";
        if (!photo && redacted is not { Width: > 0, Height: > 0 })
        {
            return (null, "The redacted output has no picture to burn the watermark into.");
        }

        var text = Watermark.Normalise(publication.Watermark);
        if (text.Length == 0)
        {
            return (null, "The publication has no watermark text.");
        }

        var font = options.Value.WatermarkFont;
        if (!File.Exists(font))
        {
            return (null, $"The watermark font {font} is missing: install Debian's fonts-noto-cjk, or set Media:WatermarkFont.");
        }

        var location = await publications.FindRedactedObjectAsync(redacted.ObjectId, cancellationToken);
        if (location is null)
        {
            return (null, $"The redacted output {redacted.ObjectId} is not a stored redacted object.");
        }

        var filters = Watermark.Filters(text, font, redacted.Width ?? 0, redacted.Height ?? 0);
        return await renderer.RenderAsync(
            job,
            publication.RecordingId,
            MediaInput.Redacted(redacted.ObjectId, location, Sha256Digest.Parse(redacted.Sha256)),
            _ => Task.FromResult(new ReleaseRun(
                DerivationRole.Publication,
                "watermark",
                "publication",
                photo,
                Video: true,
                Audio: false,
                (input, output) => PublicationArguments.Build(filters, photo, options.Value, input, output),
                publication.RedactionId)),
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Publication {PublicationId} is {State} with its copy {RenderState}: nothing to render")]
    private partial void LogNothingToDo(Guid publicationId, string state, string renderState);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The copy of publication {PublicationId} failed: {Reason}")]
    private partial void LogFailed(Guid publicationId, string reason);
}
