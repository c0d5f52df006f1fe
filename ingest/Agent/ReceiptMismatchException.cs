namespace Enforcement.Media.Ingest.Agent;

/// <summary>
/// A receipt from the ingest server does not name the SHA-256 and size the agent read: no receipt
/// is written, the source is kept, and the file is tried again on a later scan.
/// </summary>
public sealed class ReceiptMismatchException(string message) : Exception(message);
