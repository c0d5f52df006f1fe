namespace Enforcement.Media.Storage.Catalogue;

/// <summary>
/// Configuration section <c>Catalogue</c>. The connection strings themselves are
/// <c>ConnectionStrings:Catalogue</c> (the application role, env <c>ConnectionStrings__Catalogue</c>)
/// and, optionally, <c>ConnectionStrings:CatalogueOwner</c> (the role that owns the tables and runs
/// migrations).
/// </summary>
public sealed class CatalogueOptions
{
    public const string Section = "Catalogue";

    public const string ConnectionStringName = "Catalogue";

    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;

    public const string OwnerConnectionStringName = "CatalogueOwner";

    public const string OwnerConnectionStringKey = "ConnectionStrings:" + OwnerConnectionStringName;

    /// <summary>PostgreSQL schema holding the catalogue; created when missing.</summary>
    public string Schema { get; set; } = "public";

    /// <summary>Apply pending migrations when a process starts (also: <c>ingest migrate</c>).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// The role the apps connect as, which the migrator (connected as the owner) grants what it needs:
    /// on audit tables only SELECT and INSERT. Empty means the user of <c>ConnectionStrings:Catalogue</c>.
    /// Only used when <c>ConnectionStrings:CatalogueOwner</c> is set.
    /// </summary>
    public string ApplicationRole { get; set; } = string.Empty;
}
