namespace Enforcement.Media.Storage.Retention;

/// <summary>Retention classes (<c>recordings.retention_class</c>). The longest applicable period always wins.</summary>
public static class RetentionClass
{
    /// <summary>Footage not linked to any case: the minimum period from recording.</summary>
    public const string Routine = "routine";

    /// <summary>Linked to a case: held while the case is open, then kept for years after it is archived.</summary>
    public const string Evidence = "evidence";

    /// <summary>Obstruction of enforcement, a major incident: kept forever (legal hold that is never lifted by policy).</summary>
    public const string Permanent = "permanent";
}
