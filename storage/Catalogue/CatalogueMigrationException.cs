namespace Enforcement.Media.Storage.Catalogue;

/// <summary>The catalogue schema could not be brought up to date; the failed migration was rolled back whole.</summary>
public sealed class CatalogueMigrationException(string message, Exception? inner = null) : Exception(message, inner);
