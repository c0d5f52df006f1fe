namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// Endpoint metadata: the status a body field that does not parse (a date that is no date, text where a
/// number belongs) is answered with, for APIs that answer all their bad input with one status (422).
/// Without it such a field is a 400. Text <see cref="TextInput"/> refuses is a 400 everywhere.
/// </summary>
public sealed record MalformedBodyStatus(int StatusCode);
