namespace Enforcement.Media.Storage.Alerts;

/// <summary>
/// A finding to tell the outside world of (<see cref="AlertKinds"/>), as its webhook receives it.
/// <paramref name="Summary"/> is one line for a person; <paramref name="Details"/> the facts a program acts on.
/// </summary>
/// <param name="DedupeKey">Findings with the same key are one alert (the first); null: every finding is one.</param>
public sealed record Alert(string Kind, string SubjectType, string SubjectId, string Summary, object Details, string? DedupeKey = null);
