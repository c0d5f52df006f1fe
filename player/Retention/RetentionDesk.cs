using Enforcement.Media.Storage.Retention;

namespace Enforcement.Media.Player.Retention;

/// <summary>
/// The records managers' actions, for the pages and the <c>/api/v1/retention</c> API alike: place and
/// release legal holds, extend retention, propose and decide disposition (two records managers), reconcile. Input is checked here,
/// before any service is called, so a malformed request changes nothing; the storage services audit
/// every change and every refusal.
/// </summary>
public sealed class RetentionDesk(
    RetentionQueries queries,
    RetentionEnforcer enforcer,
    LegalHoldService holds,
    DispositionService disposition,
    RetentionReconciler reconciler,
    TimeProvider time)
{
    public const int MaxReasonLength = 2000;

    /// <summary>A longer period is what a legal hold is for: a typo must not lock footage in COMPLIANCE mode for centuries.</summary>
    public const int MaxYearsAhead = 100;

    /// <summary>Places a hold and makes the store follow at once; null when there is no such recording (or it was disposed of).</summary>
    public async Task<Guid?> PlaceHoldAsync(Guid recordingId, string? reason, string actor, CancellationToken cancellationToken)
    {
        var why = Reason(reason);
        if (!await IsLiveAsync(recordingId, cancellationToken))
        {
            return null;
        }

        var holdId = await holds.PlaceAsync(recordingId, actor, why, cancellationToken);

        // The queued retention job would get there too; applying now lets the page show the store's answer.
        await enforcer.ApplyAsync(recordingId, actor, cancellationToken);
        return holdId;
    }

    /// <summary>Releases an active hold and lets the store follow; false when there is no such active hold.</summary>
    public async Task<bool> ReleaseHoldAsync(Guid holdId, string? reason, string actor, CancellationToken cancellationToken)
    {
        var why = Reason(reason);
        var recordingId = await queries.RecordingOfHoldAsync(holdId, cancellationToken);
        if (recordingId is null || !await holds.ReleaseAsync(holdId, actor, why, cancellationToken))
        {
            return false;
        }

        await enforcer.ApplyAsync(recordingId.Value, actor, cancellationToken);
        return true;
    }

    /// <summary>
    /// Keeps a recording at least until <paramref name="retainUntil"/>. A date before the current one is
    /// refused and audited (<see cref="RetentionShorteningException"/>); null when there is no such recording.
    /// </summary>
    public async Task<RetentionOutcome?> ExtendAsync(Guid recordingId, DateTimeOffset? retainUntil, string? reason, string actor, CancellationToken cancellationToken)
    {
        var why = Reason(reason);
        if (retainUntil is not { } until)
        {
            throw new RetentionRequestException("retainUntil", "Give the date to keep the recording until.");
        }

        if (until > time.GetUtcNow().AddYears(MaxYearsAhead))
        {
            throw new RetentionRequestException("retainUntil", $"A date more than {MaxYearsAhead} years ahead is refused; to keep a recording for ever, place a legal hold.");
        }

        return await enforcer.RequestRetainUntilAsync(recordingId, until, actor, why, cancellationToken);
    }

    /// <summary>A records manager proposes a disposition; null when there is no such recording (or it was disposed of). Refusals by policy are results.</summary>
    public async Task<DispositionResult?> ProposeAsync(Guid recordingId, string? reason, string actor, CancellationToken cancellationToken)
    {
        var why = Reason(reason);
        if (!await IsLiveAsync(recordingId, cancellationToken))
        {
            return null;
        }

        return await DecideAsync(async () => await disposition.ProposeAsync(recordingId, actor, why, cancellationToken));
    }

    /// <summary>A second records manager approves a proposal, which disposes of the recording; the store has the last word (refusals are results).</summary>
    public async Task<DispositionResult?> ApproveAsync(Guid entryId, string? reason, string actor, CancellationToken cancellationToken)
    {
        var why = Reason(reason);
        return await DecideAsync(() => disposition.ApproveAsync(entryId, actor, why, cancellationToken));
    }

    /// <summary>A records manager refuses a proposal: nothing is deleted.</summary>
    public async Task<DispositionResult?> RefuseAsync(Guid entryId, string? reason, string actor, CancellationToken cancellationToken)
    {
        var why = Reason(reason);
        return await DecideAsync(() => disposition.RefuseProposalAsync(entryId, actor, why, cancellationToken));
    }

    public Task<IReadOnlyList<DispositionCandidate>> PendingAsync(CancellationToken cancellationToken) => disposition.PendingAsync(cancellationToken);

    public Task<int> RefreshQueueAsync(CancellationToken cancellationToken) => disposition.RefreshQueueAsync(cancellationToken);

    public Task<ReconcileReport> ReconcileAsync(string actor, CancellationToken cancellationToken) => reconciler.ReconcileAsync(actor, cancellationToken);

    /// <summary>Every reason is stated (事由): not empty, not only whitespace, and not a wall of text.</summary>
    public static string Reason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new RetentionRequestException("reason", "A reason is required.");
        }

        var trimmed = reason.Trim();
        return trimmed.Length <= MaxReasonLength
            ? trimmed
            : throw new RetentionRequestException("reason", $"A reason is at most {MaxReasonLength} characters.");
    }

    private static async Task<DispositionResult?> DecideAsync(Func<Task<DispositionResult?>> step)
    {
        try
        {
            return await step();
        }
        catch (DispositionDecisionException ex)
        {
            throw new DispositionRefusedException(ex);
        }
    }

    private async Task<bool> IsLiveAsync(Guid recordingId, CancellationToken cancellationToken) =>
        await queries.RecordingAsync(recordingId, cancellationToken) is { DisposedAt: null };
}
