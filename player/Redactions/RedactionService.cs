using Dapper;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Redactions;
using Npgsql;

namespace Enforcement.Media.Player.Redactions;

/// <summary>
/// Redactions as reviewers make them: for a recording they may see, playable and not quarantined, with a
/// reason and a spec checked against the recording's kind and length; drafts stay editable, anything
/// queued is frozen and rendered by the worker from the original.
/// </summary>
public sealed class RedactionService(NpgsqlDataSource dataSource, RedactionStore store, DerivationStore derivations, SuggestionStore suggestions)
{
    public const int MaxReasonLength = 2000;

    public async Task<RedactionRecord> CreateAsync(Viewer viewer, Guid recordingId, NewRedaction body, CancellationToken cancellationToken)
    {
        var reason = RequireReason(body.Reason);
        var recording = await RedactableAsync(viewer, recordingId, cancellationToken);
        var spec = Checked(body.Spec, recording);
        return await store.CreateAsync(recordingId, viewer.UserId, viewer.Actor, reason, spec, body.Draft == true, cancellationToken);
    }

    public async Task<RedactionRecord> UpdateDraftAsync(Viewer viewer, Guid redactionId, NewRedaction body, CancellationToken cancellationToken)
    {
        var reason = RequireReason(body.Reason);
        var existing = await VisibleAsync(viewer, redactionId, cancellationToken);
        var recording = await RedactableAsync(viewer, existing.RecordingId, cancellationToken);
        var spec = Checked(body.Spec, recording);
        if (!await store.UpdateDraftAsync(redactionId, viewer.Actor, reason, spec, cancellationToken))
        {
            throw NotADraft();
        }

        if (body.Draft == false && !await store.QueueAsync(redactionId, viewer.Actor, cancellationToken))
        {
            throw NotADraft();
        }

        return (await store.FindAsync(redactionId, cancellationToken))!;
    }

    public async Task<RedactionRecord> QueueAsync(Viewer viewer, Guid redactionId, CancellationToken cancellationToken)
    {
        var existing = await VisibleAsync(viewer, redactionId, cancellationToken);
        var recording = await RedactableAsync(viewer, existing.RecordingId, cancellationToken);
        Checked(existing.Spec, recording); // a draft saved before the recording changed (e.g. quarantined) is checked again
        if (!await store.QueueAsync(redactionId, viewer.Actor, cancellationToken))
        {
            throw NotADraft();
        }

        return (await store.FindAsync(redactionId, cancellationToken))!;
    }

    public async Task DiscardDraftAsync(Viewer viewer, Guid redactionId, CancellationToken cancellationToken)
    {
        await VisibleAsync(viewer, redactionId, cancellationToken);
        if (!await store.DeleteDraftAsync(redactionId, viewer.Actor, cancellationToken))
        {
            throw new RedactionRefusedException(Refusal.Conflict, "Only a draft can be discarded; a queued or rendered redaction is kept.");
        }
    }

    public async Task<RedactionView> ViewAsync(Viewer viewer, Guid redactionId, CancellationToken cancellationToken)
    {
        var record = await VisibleAsync(viewer, redactionId, cancellationToken);
        return RedactionView.Of(record, await derivations.ListForRedactionAsync(redactionId, cancellationToken));
    }

    public async Task<IReadOnlyList<RedactionRecord>> ListAsync(Viewer viewer, Guid recordingId, CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            if (!await RecordingVisibility.IsVisibleAsync(connection, null, viewer, recordingId, cancellationToken))
            {
                throw RedactionRefusedException.NotFound("recording");
            }
        }

        return await store.ListForRecordingAsync(recordingId, cancellationToken);
    }

    /// <summary>
    /// Asks the worker to look for faces in the original (or returns the run already under way): only a
    /// picture can have faces, and only a recording that could be redacted is worth looking at.
    /// </summary>
    public async Task<SuggestionRunRequest> RequestSuggestionsAsync(Viewer viewer, Guid recordingId, CancellationToken cancellationToken)
    {
        var recording = await RedactableAsync(viewer, recordingId, cancellationToken);
        if (recording.Kind is not (MediaKind.Video or MediaKind.Photo))
        {
            throw new RedactionRefusedException(Refusal.Conflict, "This recording has no picture: there are no faces to suggest.");
        }

        return await suggestions.RequestAsync(recordingId, viewer.UserId, SuggestionStore.DefaultSampleSeconds, cancellationToken);
    }

    public async Task<SuggestionRun> SuggestionRunAsync(Viewer viewer, Guid runId, CancellationToken cancellationToken)
    {
        var run = await suggestions.FindAsync(runId, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return run is not null && await RecordingVisibility.IsVisibleAsync(connection, null, viewer, run.RecordingId, cancellationToken)
            ? run
            : throw RedactionRefusedException.NotFound("suggestion run");
    }

    /// <summary>The recording's newest run, whatever its state, so the editor can pick up what was asked before; null when none was.</summary>
    public async Task<SuggestionRun?> LatestSuggestionRunAsync(Viewer viewer, Guid recordingId, CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            if (!await RecordingVisibility.IsVisibleAsync(connection, null, viewer, recordingId, cancellationToken))
            {
                throw RedactionRefusedException.NotFound("recording");
            }
        }

        return await suggestions.LatestAsync(recordingId, cancellationToken);
    }

    /// <summary>Accepts or rejects one suggestion, once: the same answer again changes nothing, the other answer is refused.</summary>
    public async Task DecideSuggestionAsync(Viewer viewer, Guid suggestionId, string? decision, CancellationToken cancellationToken)
    {
        if (decision is not (SuggestionDecision.Accepted or SuggestionDecision.Rejected))
        {
            throw new RedactionRefusedException(Refusal.Invalid, $"The decision is '{SuggestionDecision.Accepted}' or '{SuggestionDecision.Rejected}'.", "decision");
        }

        var recordingId = await suggestions.RecordingOfSuggestionAsync(suggestionId, cancellationToken);
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            if (recordingId is not { } recording || !await RecordingVisibility.IsVisibleAsync(connection, null, viewer, recording, cancellationToken))
            {
                throw RedactionRefusedException.NotFound("suggestion");
            }
        }

        switch (await suggestions.DecideAsync(suggestionId, viewer.UserId, decision, cancellationToken))
        {
            case SuggestionDecisionOutcome.Conflict:
                throw new RedactionRefusedException(Refusal.Conflict, "This suggestion was already decided the other way; a decision is given once and kept.");
            case SuggestionDecisionOutcome.NotFound:
                throw RedactionRefusedException.NotFound("suggestion");
        }
    }

    /// <summary>The redaction, if its recording is one the viewer may see; otherwise the same answer as for none at all.</summary>
    public async Task<RedactionRecord> VisibleAsync(Viewer viewer, Guid redactionId, CancellationToken cancellationToken)
    {
        var record = await store.FindAsync(redactionId, cancellationToken);
        if (record is null)
        {
            throw RedactionRefusedException.NotFound("redaction");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await RecordingVisibility.IsVisibleAsync(connection, null, viewer, record.RecordingId, cancellationToken)
            ? record
            : throw RedactionRefusedException.NotFound("redaction");
    }

    private static string RequireReason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new RedactionRefusedException(Refusal.Invalid, "The reason is required: say why this footage is redacted.", "reason");
        }

        var trimmed = reason.Trim();
        return trimmed.Length <= MaxReasonLength
            ? trimmed
            : throw new RedactionRefusedException(Refusal.Invalid, $"The reason is at most {MaxReasonLength} characters.", "reason");
    }

    private static RedactionSpec Checked(RedactionSpec spec, RedactableRecording recording)
    {
        var problems = RedactionSpecValidator.Check(spec, recording.Kind, recording.DurationSeconds);
        return problems.Count == 0 ? spec : throw new RedactionSpecException(problems);
    }

    /// <summary>Visible, not disposed of, probed playable and not quarantined: a redaction is rendered from a sound original.</summary>
    private async Task<RedactableRecording> RedactableAsync(Viewer viewer, Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT {RecordingVisibility.Predicate} AS visible, r.quarantine_reason, r.media_state,
                   p.media_kind, p.duration_seconds, p.unplayable_reason
            FROM recordings r
            LEFT JOIN media_probes p ON p.recording_id = r.id
            WHERE r.id = @recordingId AND r.disposed_at IS NULL
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RecordingRow>(new CommandDefinition(
            sql, new { recordingId, viewerId = viewer.UserId, viewerUnit = viewer.UnitCode }, cancellationToken: cancellationToken));
        if (row is not { Visible: true })
        {
            throw RedactionRefusedException.NotFound("recording");
        }

        if (row.QuarantineReason is { } quarantined)
        {
            throw new RedactionRefusedException(Refusal.Conflict, $"This recording is quarantined ({quarantined}): nothing is published from it until that is resolved.");
        }

        if (row.MediaKind is null)
        {
            throw new RedactionRefusedException(Refusal.Conflict, "This recording has not been examined yet; try again in a minute.");
        }

        if (row.UnplayableReason is { } unplayable || row.MediaKind == "unknown")
        {
            throw new RedactionRefusedException(Refusal.Conflict, $"This recording cannot be played, so it cannot be redacted: {row.UnplayableReason ?? "no picture or sound found"}.");
        }

        var kind = Enum.Parse<MediaKind>(row.MediaKind, ignoreCase: true);
        return new RedactableRecording(kind, row.DurationSeconds);
    }

    private static RedactionRefusedException NotADraft() =>
        new(Refusal.Conflict, "This redaction is no longer a draft: it was queued and its spec is frozen. Make a new redaction to change it.");

    private sealed record RedactableRecording(MediaKind Kind, double? DurationSeconds);

    private sealed record RecordingRow(bool Visible, string? QuarantineReason, string MediaState, string? MediaKind, double? DurationSeconds, string? UnplayableReason);
}
