namespace Enforcement.Media.Storage.Recorders;

/// <summary>
/// A serial that recordings carry but the register does not know (in its normalised form): how many
/// recordings, when the first and the last were catalogued, and the officers and units they name.
/// </summary>
public sealed record UnregisteredSerial(string Serial, long Recordings, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, IReadOnlyList<string> Officers, IReadOnlyList<string> Units);
