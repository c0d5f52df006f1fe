namespace Enforcement.Media.Storage.Fixity;

public enum FixityScope
{
    /// <summary>Every original in the store.</summary>
    All,

    /// <summary>The originals verified longest ago, so that all are covered within <c>Fixity:CoverageDays</c>.</summary>
    Sample,
}
