namespace Enforcement.Media.Storage.Catalogue;

/// <summary>Npgsql returns timestamptz as UTC <see cref="DateTime"/>; the code works in <see cref="DateTimeOffset"/>.</summary>
public static class Utc
{
    public static DateTimeOffset From(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? From(DateTime? value) => value is { } v ? From(v) : null;
}
