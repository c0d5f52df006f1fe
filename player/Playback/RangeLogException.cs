namespace Enforcement.Media.Player.Playback;

/// <summary>A range could not be put on record, so it must not be served (<see cref="RangeLog"/>).</summary>
public sealed class RangeLogException(string message, Exception? inner = null) : Exception(message, inner);
