using Enforcement.Media.Ingest.Receipts;

namespace Enforcement.Media.Ingest.Uploads.Client;

/// <summary>An upload whose receipt names the SHA-256 the client computed: the archive holds exactly these bytes.</summary>
public sealed record TusConfirmedUpload(TusUpload Upload, Receipt Receipt);
