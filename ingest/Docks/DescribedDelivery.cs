using Enforcement.Media.Storage.Recordings;

namespace Enforcement.Media.Ingest.Docks;

/// <summary>A file's delivery as its name and sidecars describe it, with what the sidecars got wrong.</summary>
public sealed record DescribedDelivery(Delivery Delivery, RecorderFileName Name, IReadOnlyList<string> Problems);
