namespace Enforcement.Media.Storage.Objects;

/// <summary>The catalogue's and the stores' spelling of <see cref="ObjectKind"/>.</summary>
public static class ObjectKindNames
{
    public static string ToName(this ObjectKind kind) => kind switch
    {
        ObjectKind.Original => "original",
        ObjectKind.Rendition => "rendition",
        ObjectKind.Thumbnail => "thumbnail",
        ObjectKind.Sprite => "sprite",
        ObjectKind.Document => "document",
        ObjectKind.Checkpoint => "checkpoint",
        ObjectKind.Export => "export",
        ObjectKind.Redacted => "redacted",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown object kind."),
    };

    public static ObjectKind Parse(string name)
    {
        foreach (var kind in Enum.GetValues<ObjectKind>())
        {
            if (kind.ToName() == name)
            {
                return kind;
            }
        }

        throw new FormatException($"Unknown object kind '{name}'.");
    }
}
