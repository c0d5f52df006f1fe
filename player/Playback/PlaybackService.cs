using Enforcement.Media.Player.Approvals;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Audit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Enforcement.Media.Player.Playback;

/// <summary>
/// Viewings: a session is started with a reason (and, for classified footage, an approval)
/// for a recording the user may see; heartbeats keep it alive and become watched intervals; the page ends
/// it. Each is an audit event with the recording as subject, committed with the change it describes.
/// </summary>
public sealed class PlaybackService(NpgsqlDataSource dataSource, AuditTrail audit, IOptions<PlaybackOptions> options, TimeProvider time, PlaybackMetrics metrics)
{
    public const int MaxUserAgentLength = 512;
    public const int MaxClientAddressLength = 64;

    /// <summary>Highest playback rate a heartbeat may report (the page offers 0.25× to 4×).</summary>
    public const double MaxRate = 16;

    public async Task<StartedSession> StartAsync(Viewer viewer, FootageAccess access, Guid recordingId, NewSession body, string clientAddress, string? userAgent, CancellationToken cancellationToken)
    {
        var reason = Reasons.Require(body.Reason, "reason", options.Value.MaxReasonLength);
        var variant = string.IsNullOrWhiteSpace(body.Variant) ? (access == FootageAccess.RedactedOnly ? PlaybackVariant.Redacted : PlaybackVariant.Rendition) : body.Variant.Trim();
        if (variant is not (PlaybackVariant.Rendition or PlaybackVariant.Original or PlaybackVariant.Redacted))
        {
            throw new PlaybackRefusedException(Refusal.Invalid, $"The variant is '{PlaybackVariant.Rendition}', '{PlaybackVariant.Original}' or '{PlaybackVariant.Redacted}'.", "variant");
        }

        Guid? redactionId = null;
        if (variant == PlaybackVariant.Redacted)
        {
            redactionId = Guid.TryParse(body.RedactionId?.Trim(), out var parsedRedaction)
                ? parsedRedaction
                : throw new PlaybackRefusedException(Refusal.Invalid, "A redacted viewing names its redaction: redactionId.", "redactionId");
        }
        else if (access == FootageAccess.RedactedOnly)
        {
            throw new PlaybackRefusedException(Refusal.NotAllowed, "Your role may view redacted outputs only.", "variant");
        }

        Guid? approvalId = null;
        if (!string.IsNullOrWhiteSpace(body.ApprovalId))
        {
            approvalId = Guid.TryParse(body.ApprovalId.Trim(), out var parsed)
                ? parsed
                : throw new PlaybackRefusedException(Refusal.Invalid, "The approvalId is not an approval id.", "approvalId");
        }

        if (variant == PlaybackVariant.Original && access != FootageAccess.Originals)
        {
            throw new PlaybackRefusedException(Refusal.NotAllowed, "Your role may not view originals; ask for the rendition.", "variant");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var recording = await PlaybackStore.RecordingAsync(connection, transaction, viewer, recordingId, cancellationToken);
        if (recording is not { Visible: true })
        {
            throw PlaybackRefusedException.NoSuchRecording();
        }

        var now = time.GetUtcNow();
        if (recording.Classification != Classification.Normal
            && (approvalId is not { } approval || !await ViewApprovalStore.GrantsAsync(connection, transaction, approval, viewer.UserId, recordingId, now, cancellationToken)))
        {
            throw new PlaybackRefusedException(
                Refusal.NotAllowed,
                $"This recording is classified ({recording.Classification}): viewing it needs a supervisor's approval for you, not yet expired, given for this classification or a higher one. Request one first.",
                "approvalId");
        }

        if (recording.Classification == Classification.Normal)
        {
            approvalId = null; // not needed, so not claimed in the ledger
        }

        var media = redactionId is { } redaction
            ? await PlaybackStore.RedactedAsync(connection, transaction, recordingId, redaction, cancellationToken)
                ?? throw new PlaybackRefusedException(Refusal.Conflict, "This redaction of this recording has no rendered output (yet); see its state.", "redactionId")
            : await PlaybackStore.MediaAsync(connection, transaction, recordingId, variant, cancellationToken)
                ?? throw new PlaybackRefusedException(Refusal.Conflict, "This recording has no playback rendition yet; try again later (or, if your role may, view the original).", "variant");

        // The seek-bar thumbnails are frames of the unredacted footage: never beside a redacted viewing.
        var thumbnails = redactionId is null && await PlaybackStore.HasThumbnailsAsync(connection, transaction, recordingId, cancellationToken);
        var id = Guid.CreateVersion7(now);
        var expiresAt = now + options.Value.SessionIdleTimeout;
        var address = Reasons.Bounded(clientAddress, MaxClientAddressLength);
        var agent = Reasons.Bounded(userAgent, MaxUserAgentLength);
        await PlaybackStore.InsertAsync(
            connection,
            transaction,
            new PlaybackStore.NewSessionRow(id, viewer.UserId, viewer.Actor, recordingId, variant, media.ObjectId, reason, approvalId, address, agent, now.UtcDateTime, expiresAt.UtcDateTime, redactionId),
            cancellationToken);
        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(viewer.Actor, "playback.started", "recording", recordingId.ToString(), new
            {
                session = id,
                variant,
                redaction = redactionId,
                reason,
                approval = approvalId,
                clientAddress = address,
                userAgent = agent,
                sha256 = media.Sha256,
                size = media.Size,
            }),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.SessionStarted(variant);

        var urls = $"/api/v1/sessions/{id}";
        return new StartedSession(
            id,
            expiresAt,
            $"{urls}/media",
            media.ContentType ?? "application/octet-stream",
            thumbnails ? $"{urls}/thumbnails.vtt" : null,
            recording.FramesPerSecond,
            recording.DurationSeconds);
    }

    /// <summary>The user's own live session, or the refusal: 404 unknown, 403 someone else's, 410 over.</summary>
    /// <remarks>Also refused (403, or 410 once disposed of) when the viewer may no longer see the recording.</remarks>
    public async Task<PlaybackSession> LiveSessionAsync(Guid sessionId, Viewer viewer, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var session = await PlaybackStore.FindAsync(connection, null, sessionId, forUpdate: false, cancellationToken);
        Check(session, viewer.UserId, now, requireLive: true);
        switch (await PlaybackStore.MayStillStreamAsync(connection, sessionId, viewer, now, cancellationToken))
        {
            case null:
                throw new PlaybackRefusedException(Refusal.Gone, "This recording has been disposed of; it can no longer be viewed.");
            case false:
                throw new PlaybackRefusedException(
                    Refusal.NotAllowed,
                    "You may no longer view this recording: its classification, its approval or your access changed since this viewing started. Start a new viewing.");
        }

        return session!;
    }

    public async Task HeartbeatAsync(Guid sessionId, Viewer viewer, Heartbeat body, CancellationToken cancellationToken)
    {
        var (position, playing, rate) = Validate(body);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var session = await PlaybackStore.FindAsync(connection, transaction, sessionId, forUpdate: true, cancellationToken);
        Check(session, viewer.UserId, now, requireLive: true);
        var watched = await RecordHeartbeatAsync(connection, transaction, sessionId, new LastHeartbeat(position, playing, rate, now), now + options.Value.SessionIdleTimeout, cancellationToken);
        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(viewer.Actor, "playback.heartbeat", "recording", session!.RecordingId.ToString(), new { session = sessionId, position, playing, rate, watched }),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Ends the user's session; ending one already over is a no-op (a beacon may arrive after a fetch did
    /// the same). <paramref name="final"/> is where the player was as the page went: the stretch from the
    /// last heartbeat to it is credited as a heartbeat would credit it, because the heartbeat the page
    /// queued on pause may never leave a closing page, while its end beacon does.
    /// </summary>
    public async Task EndAsync(Guid sessionId, Viewer viewer, string how, Heartbeat? final, CancellationToken cancellationToken)
    {
        var last = final is null ? ((double Position, bool Playing, double Rate)?)null : Validate(final);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var session = await PlaybackStore.FindAsync(connection, transaction, sessionId, forUpdate: true, cancellationToken);
        Check(session, viewer.UserId, now, requireLive: false);
        if (session!.EndedAt is not null)
        {
            return;
        }

        // A session that lapsed without heartbeats ended when it lapsed, not when the page said so, and
        // nothing it reports now is credited: its stream was refused from the lapse on.
        var lapsed = !session.IsLive(now);
        var endedAt = lapsed ? session.ExpiresAt : now;
        WatchedInterval? watched = null;
        if (last is var (position, playing, rate) && !lapsed)
        {
            watched = await RecordHeartbeatAsync(connection, transaction, sessionId, new LastHeartbeat(position, playing, rate, now), session.ExpiresAt, cancellationToken);
        }

        await PlaybackStore.EndAsync(connection, transaction, sessionId, endedAt, cancellationToken);
        await audit.AppendAsync(
            connection,
            transaction,
            new AuditEntry(viewer.Actor, "playback.ended", "recording", session.RecordingId.ToString(), new { session = sessionId, endedAt, how, reported = last is { } state ? new { position = state.Position, playing = state.Playing, rate = state.Rate } : null, watched }),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Records <paramref name="heartbeat"/> and credits the stretch since the one before it, when that stretch was played.</summary>
    private static async Task<WatchedInterval?> RecordHeartbeatAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid sessionId, LastHeartbeat heartbeat, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var previous = await PlaybackStore.LastHeartbeatAsync(connection, transaction, sessionId, cancellationToken);
        var watched = WatchedInterval.Between(previous, heartbeat.Position, heartbeat.At);
        await PlaybackStore.RecordHeartbeatAsync(connection, transaction, sessionId, heartbeat, expiresAt, watched, cancellationToken);
        return watched;
    }

    /// <summary>A heartbeat's fields, checked: a position in seconds, whether it plays, a rate (1 when not given).</summary>
    private static (double Position, bool Playing, double Rate) Validate(Heartbeat body)
    {
        if (body.Position is not { } position || !double.IsFinite(position) || position < 0 || position > 1e7)
        {
            throw new PlaybackRefusedException(Refusal.Invalid, "The position is the player's time in seconds (0 or more).", "position");
        }

        if (body.Playing is not { } playing)
        {
            throw new PlaybackRefusedException(Refusal.Invalid, "Say whether the player is playing (true or false).", "playing");
        }

        var rate = body.Rate ?? 1;
        if (!double.IsFinite(rate) || rate <= 0 || rate > MaxRate)
        {
            throw new PlaybackRefusedException(Refusal.Invalid, $"The rate is above 0 and at most {MaxRate}.", "rate");
        }

        return (position, playing, rate);
    }

    private static void Check(PlaybackSession? session, Guid userId, DateTimeOffset now, bool requireLive)
    {
        if (session is null)
        {
            throw new PlaybackRefusedException(Refusal.NotFound, "There is no such viewing session.");
        }

        if (session.UserId != userId)
        {
            throw new PlaybackRefusedException(Refusal.NotAllowed, "This viewing session is someone else's; start your own, with your reason.");
        }

        if (requireLive && !session.IsLive(now))
        {
            throw new PlaybackRefusedException(Refusal.Gone, "This viewing session is over; start a new one.");
        }
    }
}
