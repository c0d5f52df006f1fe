namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>What the publication job needs of one <c>publications</c> row (migration 0017).</summary>
/// <param name="State">requested, refused, published or withdrawn: only a requested publication's copy is (re)made.</param>
public sealed record PublicationRender(Guid Id, Guid RedactionId, Guid RecordingId, string Watermark, string RenderState, string State);
