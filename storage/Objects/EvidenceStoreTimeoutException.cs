namespace Enforcement.Media.Storage.Objects;

/// <summary>
/// The evidence store did not answer a request within its timeout, nor when it was tried again: it
/// hangs (Ceph RGW once an OSD is full) or cannot be reached without refusing. A caller working
/// through many objects should start no more of them: each would wait as long.
/// </summary>
public sealed class EvidenceStoreTimeoutException(string message, Exception inner) : TimeoutException(message, inner);
