namespace Enforcement.Media.Storage.Media;

/// <summary>The main audio stream as ffprobe reported it.</summary>
public sealed record AudioStreamInfo(int Index, string Codec, string? Profile, int? Channels, int? SampleRate);
