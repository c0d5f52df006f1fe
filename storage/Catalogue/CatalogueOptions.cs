namespace Enforcement.Media.Storage.Catalogue;

/// <summary>
/// Configuration section <c>Catalogue</c>. The connection string itself is
/// <c>ConnectionStrings:Catalogue</c> (env <c>ConnectionStrings__Catalogue</c>).
/// </summary>
public sealed class CatalogueOptions
{
    public const string Section = "Catalogue";

    public const string ConnectionStringName = "Catalogue";

    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;

    /// <summary>PostgreSQL schema holding the catalogue; created when missing.</summary>
    public string Schema { get; set; } = "public";

    /// <summary>Apply pending migrations when a process starts (also: <c>ingest migrate</c>).</summary>
    public bool MigrateOnStart { get; set; } = true;
}
