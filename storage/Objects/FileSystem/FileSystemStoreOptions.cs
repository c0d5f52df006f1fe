namespace Enforcement.Media.Storage.Objects.FileSystem;

/// <summary>Configuration section <c>Store:FileSystem</c>.</summary>
public sealed class FileSystemStoreOptions
{
    public const string Section = "Store:FileSystem";

    /// <summary>Folder holding <c>objects/</c>, <c>retention/</c> and <c>staging/</c>. Relative paths are under the working directory.</summary>
    public string Root { get; set; } = ".data/evidence";
}
