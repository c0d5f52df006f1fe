namespace Enforcement.Media.Storage.Fixity;

/// <summary>What re-reading one stored original found. Stored as lowercase text; audit action <c>fixity.&lt;outcome&gt;</c>.</summary>
public enum FixityOutcome
{
    /// <summary>The bytes still hash to the SHA-256 (and size) recorded when they were stored.</summary>
    Verified,

    /// <summary>The bytes changed: another SHA-256 or size.</summary>
    Mismatch,

    /// <summary>The store no longer has the object.</summary>
    Missing,

    /// <summary>The store has it but it could not be read to the end.</summary>
    Unreadable,
}
