using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Recorders;

namespace Enforcement.Media.Player.Recorders;

/// <summary>
/// The recorder register's rules as the API and the pages apply them: a manager keeps the recorders of
/// their unit and the units under it (<see cref="RecorderStore"/> checks that in the same transaction as
/// the change), one entry or a whole CSV file at a time; a recorder is handed over from a moment that has
/// come, never before its current period began.
/// </summary>
public sealed class RecorderService(RecorderStore store, TimeProvider time)
{
    public const int MaxOfficerIdLength = 32;

    /// <summary>How far ahead of this server's clock a handover may be dated: a client's clock a little fast is no reason to refuse.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The recorder and its history; refused as not found when it is unknown or another unit's.</summary>
    public async Task<RecorderDetail> DetailAsync(Viewer viewer, string serial, CancellationToken cancellationToken)
    {
        var recorder = await VisibleAsync(viewer, serial, cancellationToken);
        return new RecorderDetail(recorder, await store.HistoryAsync(recorder.Serial, cancellationToken));
    }

    /// <summary>Registers the recorder or replaces its entry; true when it is new.</summary>
    public async Task<(RecorderDetail Detail, bool Created)> SaveAsync(Viewer viewer, string serial, RecorderBody body, string via, CancellationToken cancellationToken)
    {
        var problems = new List<RecorderProblem>();
        var input = RecorderInput.Read(serial, body.Model, body.Unit, body.Status, body.Notes, 0, problems);
        var report = input is null ? null : await store.SaveAsync([(0, input)], [], viewer.UnitCode, viewer.Actor, via, cancellationToken);
        if (report is not null)
        {
            problems.AddRange(report.Problems);
        }

        if (problems.Count > 0)
        {
            var first = problems[0];
            throw new RecorderRefusedException(
                first.IsConflict ? Refusal.Conflict : Refusal.Invalid,
                problems.Count == 1 ? $"{first.Field}: {first.Message}" : "The entry has several problems; each is named under errors.",
                first.Field,
                problems.Count == 1 ? null : problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
        }

        return (await DetailAsync(viewer, input!.Serial, cancellationToken), report!.Created == 1);
    }

    /// <summary>Hands the recorder to an officer, or takes it back when no officer is named.</summary>
    public async Task<RecorderDetail> AssignAsync(Viewer viewer, string serial, NewAssignment body, string via, CancellationToken cancellationToken)
    {
        var officerId = string.IsNullOrWhiteSpace(body.OfficerId) ? null : body.OfficerId.Trim();
        if (officerId?.Length > MaxOfficerIdLength)
        {
            throw new RecorderRefusedException(Refusal.Invalid, $"An officer id (警号) is at most {MaxOfficerIdLength} characters.", "officerId");
        }

        var now = time.GetUtcNow();
        var from = body.From ?? now;
        if (from > now + ClockSkew)
        {
            throw new RecorderRefusedException(Refusal.Invalid, $"A handover is recorded once it happened: {from:u} has not come yet.", "from");
        }

        var normalised = RecorderSerial.Normalise(serial) ?? throw RecorderRefusedException.NotFound(serial);
        try
        {
            if (!await store.AssignAsync(normalised, officerId, from, viewer.UnitCode, viewer.Actor, via, cancellationToken))
            {
                throw RecorderRefusedException.NotFound(normalised);
            }
        }
        catch (RecorderConflictException ex)
        {
            throw new RecorderRefusedException(Refusal.Conflict, ex.Message, "from");
        }

        return await DetailAsync(viewer, normalised, cancellationToken);
    }

    /// <summary>
    /// Imports a register CSV (<see cref="RecorderCsv"/>) all or nothing: the report counts what was
    /// saved, or lists every problem by line when nothing was.
    /// </summary>
    public async Task<RecorderSaveReport> ImportAsync(Viewer viewer, TextReader csv, CancellationToken cancellationToken)
    {
        var problems = new List<RecorderProblem>();
        var entries = await RecorderCsv.ReadAsync(csv, problems, cancellationToken);
        return problems.Any(p => p.Field is "header" or "file")
            ? new RecorderSaveReport(0, 0, 0, problems)
            : await store.SaveAsync(entries, problems, viewer.UnitCode, viewer.Actor, "csv", cancellationToken);
    }

    public Task<IReadOnlyList<RecorderRecord>> ListAsync(Viewer viewer, RecorderFilter filter, int limit, CancellationToken cancellationToken) =>
        store.ListAsync(Normalise(filter), viewer.UnitCode, limit, cancellationToken);

    public Task<IReadOnlyList<UnregisteredSerial>> UnregisteredAsync(Viewer viewer, int limit, CancellationToken cancellationToken) =>
        store.UnregisteredAsync(viewer.UnitCode, limit, cancellationToken);

    public Task<long> UnregisteredCountAsync(Viewer viewer, CancellationToken cancellationToken) =>
        store.UnregisteredCountAsync(viewer.UnitCode, cancellationToken);

    private async Task<RecorderRecord> VisibleAsync(Viewer viewer, string serial, CancellationToken cancellationToken)
    {
        var normalised = RecorderSerial.Normalise(serial) ?? throw RecorderRefusedException.NotFound(serial);
        return await store.FindAsync(normalised, viewer.UnitCode, cancellationToken) ?? throw RecorderRefusedException.NotFound(normalised);
    }

    /// <summary>Blank filters are none; a status is matched in lower case as the register keeps it.</summary>
    private static RecorderFilter Normalise(RecorderFilter filter) => new(
        string.IsNullOrWhiteSpace(filter.Unit) ? null : filter.Unit.Trim(),
        string.IsNullOrWhiteSpace(filter.Status) ? null : filter.Status.Trim().ToLowerInvariant(),
        string.IsNullOrWhiteSpace(filter.Text) ? null : filter.Text.Trim());
}
