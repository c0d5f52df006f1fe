namespace Enforcement.Media.Ingest.Receipts;

/// <summary>
/// The file a receipt is for, as it was when read: a later scan compares its size and mtime with
/// these to know the file was already delivered.
/// </summary>
/// <param name="Path">Relative to the dock root, '/' separated.</param>
public sealed record ReceiptSource(string Path, long Size, DateTimeOffset ModifiedAt, string Actor, string? Station);
