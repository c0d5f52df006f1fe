namespace Enforcement.Media.Storage.Cases;

/// <summary>One stage of the taxonomy: a stable code and the name shown to people.</summary>
public sealed record StageDefinition(string Code, string Name)
{
    public StageDefinition()
        : this(string.Empty, string.Empty)
    {
    }
}
