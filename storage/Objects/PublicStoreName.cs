namespace Enforcement.Media.Storage.Objects;

/// <summary>
/// A store's name as receipts and clients see it: the kind of store and, for S3, its bucket
/// (<c>s3://evidence</c>), never where the filesystem store lies on the server's disk. Its
/// <see cref="IEvidenceStore.Name"/> is a <c>file://</c> URI of its absolute folder, which the
/// catalogue keeps (it tells the process which store holds an object) and no answer over HTTP carries.
/// </summary>
public static class PublicStoreName
{
    public const string FileSystem = "filesystem";

    /// <summary>The public form of a store name; a name already public is returned as it is.</summary>
    public static string Of(string storeName) =>
        storeName.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? FileSystem : storeName;
}
