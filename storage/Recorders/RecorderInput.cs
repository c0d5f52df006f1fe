using Enforcement.Media.Storage.Hosting;

namespace Enforcement.Media.Storage.Recorders;

/// <summary>One register entry as a manager gives it (an API body or a CSV row), in the register's form.</summary>
public sealed record RecorderInput(string Serial, string? Model, string UnitCode, string Status, string? Notes)
{
    public const int MaxModelLength = 200;

    public const int MaxNotesLength = 2000;

    public const int MaxUnitLength = 64;

    /// <summary>
    /// The entry these fields make, or null with every problem added to <paramref name="problems"/> under
    /// <paramref name="line"/>: the serial normalised (<see cref="RecorderSerial"/>), the status one of
    /// <see cref="RecorderStatus.All"/> in any case, empty model and notes as none. Whether the unit exists
    /// and is the manager's is the catalogue's question (<see cref="RecorderStore.SaveAsync"/>).
    /// </summary>
    public static RecorderInput? Read(string? serial, string? model, string? unit, string? status, string? notes, int line, List<RecorderProblem> problems)
    {
        var before = problems.Count;
        void Problem(string field, string message) => problems.Add(new RecorderProblem(line, field, message));
        foreach (var (field, value) in new[] { ("serial", serial), ("model", model), ("unit", unit), ("status", status), ("notes", notes) })
        {
            if (value is not null && TextInput.Refusal(value) is { } refusal)
            {
                Problem(field, refusal);
            }
        }

        if (problems.Count > before)
        {
            return null;
        }

        var normalised = RecorderSerial.Normalise(serial);
        if (normalised is null)
        {
            Problem("serial", string.IsNullOrWhiteSpace(serial) ? "is required" : $"'{serial}' is not a serial: {RecorderSerial.Rule}");
        }

        var unitCode = unit?.Trim();
        if (string.IsNullOrEmpty(unitCode) || unitCode.Length > MaxUnitLength)
        {
            Problem("unit", string.IsNullOrEmpty(unitCode) ? "is required: the unit that owns the recorder" : $"is at most {MaxUnitLength} characters");
        }

        var statusCode = status?.Trim().ToLowerInvariant();
        if (statusCode is null || !RecorderStatus.All.Contains(statusCode))
        {
            Problem("status", $"'{status}' is not a status: one of {string.Join(", ", RecorderStatus.All)}");
        }

        var modelText = Optional(model);
        if (modelText?.Length > MaxModelLength)
        {
            Problem("model", $"is at most {MaxModelLength} characters");
        }

        var notesText = Optional(notes);
        if (notesText?.Length > MaxNotesLength)
        {
            Problem("notes", $"is at most {MaxNotesLength} characters");
        }

        return problems.Count > before ? null : new RecorderInput(normalised!, modelText, unitCode!, statusCode!, notesText);
    }

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
