namespace Enforcement.Media.Ingest.Media.Sources;

/// <summary>
/// Reading the original from the evidence store failed while ffmpeg or ffprobe was reading it. Whatever
/// the tool then reported is about the store, not the media: the job is retried, and the recording is
/// never marked unplayable for it.
/// </summary>
public sealed class MediaSourceException(string message, Exception inner) : Exception(message, inner);
