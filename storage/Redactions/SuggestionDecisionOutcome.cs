namespace Enforcement.Media.Storage.Redactions;

/// <summary>What became of a decision on a suggestion.</summary>
public enum SuggestionDecisionOutcome
{
    /// <summary>The decision is now recorded.</summary>
    Recorded,

    /// <summary>The same decision was already recorded (by whoever gave it first): nothing changed.</summary>
    AlreadyRecorded,

    /// <summary>The other decision was already recorded: a decision is given once and kept.</summary>
    Conflict,

    /// <summary>No such suggestion.</summary>
    NotFound,
}
