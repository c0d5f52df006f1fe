namespace Enforcement.Media.Player.Filters;

/// <summary>
/// The <c>subunits</c> parameter of a unit filter (the recording search, the ledger, the statistics): with the
/// units under the unit, the default, or the unit alone — what the statistics' group of a unit's own footage
/// narrows to.
/// </summary>
public static class SubunitsParameter
{
    public const string Meaning = "subunits is true (the unit and every unit under it, the default) or false (the unit alone).";

    /// <summary>Reads <paramref name="value"/>: blank or <c>true</c> is true, <c>false</c> false (any case); anything else is no answer.</summary>
    public static bool TryParse(string? value, out bool subunits)
    {
        subunits = true;
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "true":
                return true;
            case "false":
                subunits = false;
                return true;
            default:
                return false;
        }
    }
}
