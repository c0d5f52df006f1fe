namespace Enforcement.Media.Ingest.Media.Sources;

public enum RangeSelectionKind
{
    Whole,
    Partial,
    Unsatisfiable,
}
