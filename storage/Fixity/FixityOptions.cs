namespace Enforcement.Media.Storage.Fixity;

/// <summary>Configuration section <c>Fixity</c>: how stored originals are re-read and re-hashed.</summary>
public sealed class FixityOptions
{
    public const string Section = "Fixity";

    /// <summary>Every original is re-read at least once within this many days (by the scheduled samples).</summary>
    public int CoverageDays { get; set; } = 30;

    /// <summary>How often a sample run is scheduled; each checks about (originals × this ÷ coverage) of them.</summary>
    public TimeSpan SampleEvery { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Schedule sample runs in the ingest worker (the <c>ingest fixity</c> command works either way).</summary>
    public bool Enabled { get; set; } = true;
}
