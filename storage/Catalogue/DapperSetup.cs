using System.Data;
using Dapper;
using Enforcement.Media.Storage.Hashing;

namespace Enforcement.Media.Storage.Catalogue;

/// <summary>Dapper's process-wide settings: snake_case columns, SHA-256 digests as hex text.</summary>
internal static class DapperSetup
{
    private static int _configured;

    public static void EnsureConfigured()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1)
        {
            return;
        }

        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new Sha256DigestHandler());
    }

    private sealed class Sha256DigestHandler : SqlMapper.TypeHandler<Sha256Digest>
    {
        public override Sha256Digest Parse(object value) => Sha256Digest.Parse((string)value);

        public override void SetValue(IDbDataParameter parameter, Sha256Digest value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.Hex;
        }
    }
}
