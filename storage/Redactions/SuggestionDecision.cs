namespace Enforcement.Media.Storage.Redactions;

/// <summary>A reviewer's answer to one suggestion (<c>redaction_suggestions.decision</c>): kept once given.</summary>
public static class SuggestionDecision
{
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";

    public static bool IsValid(string? decision) => decision is Accepted or Rejected;
}
