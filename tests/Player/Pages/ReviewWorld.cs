using Dapper;
using Enforcement.Media.Player.Admin;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Records;

namespace Enforcement.Media.Tests.Player.Pages;

/// <summary>
/// Cases, footage and links in a <see cref="PlayerApp"/>, made through the app's own services: the case
/// service (as the case system's API would), the archive (as ingest would) and the linker. The probe row is
/// written as the probe job writes it, so the pages have real metadata and the spans have durations.
/// </summary>
public sealed class ReviewWorld(PlayerApp app)
{
    public static readonly DateTimeOffset Morning = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public RecordsHarness Records { get; } = new(app);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A new officer id (警号): letters and digits, unique per test so links never cross tests.</summary>
    public static string Officer() => $"O{Random.Shared.Next(10_000_000, 99_999_999)}";

    public static string NewCaseNumber(string prefix = "CASE") => $"{prefix}-{Guid.NewGuid():N}"[..30];

    /// <summary>Submits a case with activities, as the case system would; fails the test if it is refused.</summary>
    public Task<string> CaseAsync(string unit, string caseNumber, DateTimeOffset openedAt, params ActivityInput[] activities) =>
        CaseAsync(unit, caseNumber, openedAt, null, activities);

    public async Task<string> CaseAsync(string unit, string caseNumber, DateTimeOffset openedAt, DateTimeOffset? closedAt, params ActivityInput[] activities)
    {
        var status = closedAt is null ? CaseStatus.Open : CaseStatus.Closed;
        var input = new CaseInput(caseNumber, unit, "张三 违法建设", "urban_management", status, openedAt, closedAt, null, [], activities);
        var submitted = await app.Service<CaseService>().SubmitAsync(input, "user:test", Token);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems.Select(p => $"{p.Field}: {p.Message}")));
        return caseNumber;
    }

    public async Task AssignAsync(string caseNumber, string username) =>
        await app.Service<AdminService>().AssignAsync(caseNumber, username, "user:test", Token);

    /// <summary>Footage of an officer: archived with its delivery facts, probed, then linked to whatever activity it overlaps.</summary>
    public async Task<Guid> FootageAsync(string? unit, string officer, string device, DateTimeOffset start, double seconds, string? name = null)
    {
        name ??= $"{device}_{officer}_{start:yyyyMMddHHmmss}.mp4";
        var delivery = new Delivery(SourceKind.Command, "user:test", name, DeviceSerial: device, OfficerId: officer, UnitCode: unit, RecorderStartedAt: start);
        var archived = await app.Service<RecordingArchive>().ArchiveAsync(new MemoryStream(Bytes.Random(4096, Random.Shared.Next())), delivery, null, Token);
        await ProbedAsync(archived.RecordingId, seconds, start);
        await app.Service<RecordingLinker>().LinkRecordingAsync(archived.RecordingId, Token);
        return archived.RecordingId;
    }

    public async Task ClassifyAsync(Guid recordingId, string classification)
    {
        await using var connection = await Records.Catalogue.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE recordings SET classification = @classification WHERE id = @recordingId", new { recordingId, classification }, cancellationToken: Token));
    }

    private async Task ProbedAsync(Guid recordingId, double seconds, DateTimeOffset createdAt)
    {
        const string sql = """
            INSERT INTO media_probes (recording_id, outcome, media_kind, format_name, format_long_name, duration_seconds, bit_rate, stream_count,
                                      video_stream_index, video_codec, video_profile, pixel_format, width, height, rotation, avg_frame_rate,
                                      r_frame_rate, frames_per_second, variable_frame_rate, audio_stream_index, audio_codec, audio_channels,
                                      audio_sample_rate, media_created_at, gps_iso6709, gps_latitude, gps_longitude, gps_altitude, tool_version, probed_at)
            VALUES (@recordingId, 'probed', 'video', 'mov,mp4,m4a,3gp,3g2,mj2', 'QuickTime / MOV', @seconds, 4000000, 2,
                    0, 'h264', 'High', 'yuv420p', 1920, 1080, 0, '30/1', '30/1', 30, false, 1, 'aac', 2, 48000, @createdAt,
                    '+31.2304+121.4737+004.000/', 31.2304, 121.4737, 4, 'ffprobe 5.1.6', now());
            UPDATE recordings SET media_state = 'probed' WHERE id = @recordingId;
            """;
        await using var connection = await Records.Catalogue.OpenConnectionAsync(Token);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { recordingId, seconds, createdAt = createdAt.UtcDateTime }, cancellationToken: Token));
    }
}
