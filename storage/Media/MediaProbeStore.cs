using Dapper;
using Enforcement.Media.Storage.Hashing;
using Enforcement.Media.Storage.Objects;
using Npgsql;

namespace Enforcement.Media.Storage.Media;

/// <summary>SQL for probe results (<c>media_probes</c>, <c>recordings.media_state</c>; migration 0004).</summary>
public sealed class MediaProbeStore(NpgsqlDataSource dataSource)
{
    public async Task<RecordingOriginal?> FindOriginalAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.id AS recording_id, r.sha256, r.size_bytes AS size, o.store, o.object_key, o.version_id,
                   r.retain_until, r.legal_hold, r.media_state
            FROM recordings r
            JOIN stored_objects o ON o.id = r.original_object_id
            WHERE r.id = @recordingId
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OriginalRow>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken));
        return row?.ToOriginal();
    }

    public async Task<ProbeResult?> FindAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT outcome, unplayable_reason, media_kind, format_name, format_long_name, duration_seconds, bit_rate,
                   stream_count, video_stream_index, video_codec, video_profile, pixel_format, bit_depth, width, height,
                   rotation, avg_frame_rate, r_frame_rate, frames_per_second, variable_frame_rate, field_order,
                   interlaced, audio_stream_index, audio_codec, audio_profile, audio_channels, audio_sample_rate,
                   media_created_at, gps_iso6709, gps_latitude, gps_longitude, gps_altitude, warnings,
                   raw::text AS raw, tool_version
            FROM media_probes
            WHERE recording_id = @recordingId
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ProbeRow>(new CommandDefinition(sql, new { recordingId }, cancellationToken: cancellationToken));
        return row?.ToResult();
    }

    /// <summary>Records (or replaces) a recording's probe result and sets its media state, in the caller's transaction.</summary>
    public static async Task SaveAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid recordingId, ProbeResult result, DateTimeOffset probedAt, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO media_probes (recording_id, outcome, unplayable_reason, media_kind, format_name, format_long_name,
                                      duration_seconds, bit_rate, stream_count, video_stream_index, video_codec,
                                      video_profile, pixel_format, bit_depth, width, height, rotation, avg_frame_rate,
                                      r_frame_rate, frames_per_second, variable_frame_rate, field_order, interlaced,
                                      audio_stream_index, audio_codec, audio_profile, audio_channels, audio_sample_rate,
                                      media_created_at, gps_iso6709, gps_latitude, gps_longitude, gps_altitude,
                                      warnings, raw, tool_version, probed_at)
            VALUES (@RecordingId, @Outcome, @UnplayableReason, @MediaKind, @FormatName, @FormatLongName,
                    @DurationSeconds, @BitRate, @StreamCount, @VideoStreamIndex, @VideoCodec,
                    @VideoProfile, @PixelFormat, @BitDepth, @Width, @Height, @Rotation, @AvgFrameRate,
                    @RealFrameRate, @FramesPerSecond, @VariableFrameRate, @FieldOrder, @Interlaced,
                    @AudioStreamIndex, @AudioCodec, @AudioProfile, @AudioChannels, @AudioSampleRate,
                    @MediaCreatedAt, @GpsIso6709, @GpsLatitude, @GpsLongitude, @GpsAltitude,
                    @Warnings, @Raw::jsonb, @ToolVersion, @ProbedAt)
            ON CONFLICT (recording_id) DO UPDATE SET
                outcome = EXCLUDED.outcome, unplayable_reason = EXCLUDED.unplayable_reason,
                media_kind = EXCLUDED.media_kind, format_name = EXCLUDED.format_name,
                format_long_name = EXCLUDED.format_long_name, duration_seconds = EXCLUDED.duration_seconds,
                bit_rate = EXCLUDED.bit_rate, stream_count = EXCLUDED.stream_count,
                video_stream_index = EXCLUDED.video_stream_index, video_codec = EXCLUDED.video_codec,
                video_profile = EXCLUDED.video_profile, pixel_format = EXCLUDED.pixel_format,
                bit_depth = EXCLUDED.bit_depth, width = EXCLUDED.width, height = EXCLUDED.height,
                rotation = EXCLUDED.rotation, avg_frame_rate = EXCLUDED.avg_frame_rate,
                r_frame_rate = EXCLUDED.r_frame_rate, frames_per_second = EXCLUDED.frames_per_second,
                variable_frame_rate = EXCLUDED.variable_frame_rate, field_order = EXCLUDED.field_order,
                interlaced = EXCLUDED.interlaced, audio_stream_index = EXCLUDED.audio_stream_index,
                audio_codec = EXCLUDED.audio_codec, audio_profile = EXCLUDED.audio_profile,
                audio_channels = EXCLUDED.audio_channels, audio_sample_rate = EXCLUDED.audio_sample_rate,
                media_created_at = EXCLUDED.media_created_at, gps_iso6709 = EXCLUDED.gps_iso6709,
                gps_latitude = EXCLUDED.gps_latitude, gps_longitude = EXCLUDED.gps_longitude,
                gps_altitude = EXCLUDED.gps_altitude, warnings = EXCLUDED.warnings, raw = EXCLUDED.raw,
                tool_version = EXCLUDED.tool_version, probed_at = EXCLUDED.probed_at;
            UPDATE recordings SET media_state = @Outcome WHERE id = @RecordingId;
            """;
        var probe = result.Probe;
        var video = probe.Video;
        var audio = probe.Audio;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                RecordingId = recordingId,
                Outcome = result.Playable ? MediaStates.Probed : MediaStates.Unplayable,
                result.UnplayableReason,
                MediaKind = probe.Kind.ToString().ToLowerInvariant(),
                probe.FormatName,
                probe.FormatLongName,
                probe.DurationSeconds,
                probe.BitRate,
                probe.StreamCount,
                VideoStreamIndex = video?.Index,
                VideoCodec = video?.Codec,
                VideoProfile = video?.Profile,
                video?.PixelFormat,
                video?.BitDepth,
                video?.Width,
                video?.Height,
                video?.Rotation,
                video?.AvgFrameRate,
                video?.RealFrameRate,
                video?.FramesPerSecond,
                video?.VariableFrameRate,
                video?.FieldOrder,
                video?.Interlaced,
                AudioStreamIndex = audio?.Index,
                AudioCodec = audio?.Codec,
                AudioProfile = audio?.Profile,
                AudioChannels = audio?.Channels,
                AudioSampleRate = audio?.SampleRate,
                MediaCreatedAt = probe.CreationTime?.UtcDateTime,
                GpsIso6709 = probe.Location?.Iso6709,
                GpsLatitude = probe.Location?.Latitude,
                GpsLongitude = probe.Location?.Longitude,
                GpsAltitude = probe.Location?.Altitude,
                result.Warnings,
                Raw = result.RawJson,
                result.ToolVersion,
                ProbedAt = probedAt.UtcDateTime,
            },
            transaction,
            cancellationToken: cancellationToken));
    }

    private sealed record OriginalRow(Guid RecordingId, string Sha256, long Size, string Store, string ObjectKey, string? VersionId, DateTime RetainUntil, bool LegalHold, string MediaState)
    {
        public RecordingOriginal ToOriginal() => new(
            RecordingId, Sha256Digest.Parse(Sha256), Size, Store, new ObjectRef(ObjectKey, VersionId), Utc(RetainUntil), LegalHold, MediaState);
    }

    private sealed record ProbeRow(
        string Outcome, string? UnplayableReason, string MediaKind, string? FormatName, string? FormatLongName, double? DurationSeconds, long? BitRate,
        int StreamCount, int? VideoStreamIndex, string? VideoCodec, string? VideoProfile, string? PixelFormat, int? BitDepth, int? Width, int? Height,
        int? Rotation, string? AvgFrameRate, string? RFrameRate, double? FramesPerSecond, bool? VariableFrameRate, string? FieldOrder,
        bool? Interlaced, int? AudioStreamIndex, string? AudioCodec, string? AudioProfile, int? AudioChannels, int? AudioSampleRate,
        DateTime? MediaCreatedAt, string? GpsIso6709, double? GpsLatitude, double? GpsLongitude, double? GpsAltitude, string? Warnings,
        string? Raw, string ToolVersion)
    {
        public ProbeResult ToResult()
        {
            var video = VideoStreamIndex is { } videoIndex
                ? new VideoStreamInfo(
                    videoIndex, VideoCodec ?? string.Empty, VideoProfile, PixelFormat, BitDepth, Width ?? 0, Height ?? 0, Rotation ?? 0,
                    AvgFrameRate, RFrameRate, FramesPerSecond, VariableFrameRate ?? false, FieldOrder, Interlaced ?? false)
                : null;
            var audio = AudioStreamIndex is { } audioIndex ? new AudioStreamInfo(audioIndex, AudioCodec ?? string.Empty, AudioProfile, AudioChannels, AudioSampleRate) : null;
            var location = GpsIso6709 is null ? null : new GeoLocation(GpsIso6709, GpsLatitude, GpsLongitude, GpsAltitude);
            var probe = new MediaProbe(
                Enum.Parse<MediaKind>(MediaKind, ignoreCase: true), FormatName, FormatLongName, DurationSeconds, BitRate, StreamCount,
                video, audio, MediaCreatedAt is { } created ? Utc(created) : null, location);
            return new ProbeResult(probe, UnplayableReason, Raw, Warnings, ToolVersion);
        }
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
