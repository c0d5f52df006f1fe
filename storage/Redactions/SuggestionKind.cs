namespace Enforcement.Media.Storage.Redactions;

/// <summary>What a suggestion covers (<c>redaction_suggestions.kind</c>).</summary>
public static class SuggestionKind
{
    public const string Face = "face";

    /// <summary>Allowed by the catalogue; no detector offers plates (see README, "Face suggestions").</summary>
    public const string Plate = "plate";
}
