namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>
/// Where the real services that scripts/test.sh started are. A missing variable is a failure with
/// instructions, never a skip: integration tests do not pass by not running.
/// </summary>
public static class TestServices
{
    public static string PostgresConnection => Require("EM_PG_CONNECTION");

    /// <summary>The role that owns the catalogue and runs migrations; the apps never connect as it.</summary>
    public static string PostgresOwnerConnection => Require("EM_PG_OWNER_CONNECTION");

    /// <summary>The superuser: tests use it to play an attacker with full database access, and to clean up.</summary>
    public static string PostgresAdminConnection => Require("EM_PG_ADMIN_CONNECTION");

    public static string S3Endpoint => Require("EM_S3_ENDPOINT");

    public static string S3AccessKey => Require("EM_S3_ACCESS_KEY");

    public static string S3SecretKey => Require("EM_S3_SECRET_KEY");

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. Integration tests run against real PostgreSQL and Ceph RGW: run them with scripts/test.sh, which starts both and sets {name}.");
}
