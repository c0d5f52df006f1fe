namespace Enforcement.Media.Storage.Objects;

/// <summary>What an object in the evidence store is. Stored as snake_case text in the catalogue.</summary>
public enum ObjectKind
{
    Original,
    Rendition,
    Thumbnail,
    Sprite,
    Document,
    Checkpoint,
    Export,

    /// <summary>A redacted output or its publication copy: the only kind anything public may serve.</summary>
    Redacted,
}
