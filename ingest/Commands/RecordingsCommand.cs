using System.CommandLine;
using System.Globalization;
using Enforcement.Media.Storage.Recordings;
using Spectre.Console;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>
/// <c>ingest recordings list</c>: what the archive holds, newest first. Each row shows its short id (<see cref="ShortId"/>),
/// which the commands that take a recording id accept.
/// </summary>
internal static class RecordingsCommand
{
    public static Command Create()
    {
        var limit = new Option<int>("--limit") { Description = "How many recordings to list.", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "List the newest recordings: name, recorder, officer, SHA-256, media state, cases.") { limit };
        list.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await OperatorCommand.StartAsync(cancellationToken);
            var recordings = await app.Services.GetRequiredService<RecordingListing>().RecentAsync(Math.Clamp(parse.GetValue(limit), 1, 10_000), cancellationToken);
            var shortIds = ShortId.Of([.. recordings.Select(r => r.Id)]);
            var table = new Table().AddColumns("recording", "name", "recorder", "officer", "started (recorder clock, UTC)", "duration", "state", "sha256", "cases");
            foreach (var r in recordings)
            {
                table.AddRow(
                    Markup.Escape(shortIds[r.Id]),
                    Markup.Escape(r.OriginalName),
                    Markup.Escape(r.DeviceSerial ?? "—"),
                    Markup.Escape(r.OfficerId ?? "—"),
                    Markup.Escape(r.RecorderStartedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "—"),
                    Markup.Escape(r.DurationSeconds is { } d ? $"{d:F1} s" : "—"),
                    Markup.Escape(r.QuarantineReason is null ? r.MediaState : "quarantined"),
                    Markup.Escape(r.Sha256[..16] + "…"),
                    Markup.Escape(string.Join(", ", r.Cases)));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"{recordings.Count} recording(s)");
            return 0;
        });
        return new Command("recordings", "What the archive holds.") { list };
    }
}
