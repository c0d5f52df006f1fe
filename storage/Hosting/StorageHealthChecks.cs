using Dapper;
using Enforcement.Media.Storage.Objects;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Enforcement.Media.Storage.Hosting;

public static class StorageHealthChecks
{
    /// <summary><c>/health</c>: the catalogue answers, and the store still guarantees immutability.</summary>
    public static IHealthChecksBuilder AddEvidenceStorageChecks(this IHealthChecksBuilder checks) => checks
        .AddAsyncCheck("catalogue", async (services, cancellationToken) =>
        {
            await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy();
        })
        .AddAsyncCheck("evidence-store", async (services, cancellationToken) =>
        {
            await services.GetRequiredService<IEvidenceStore>().EnsureReadyAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        });

    private static IHealthChecksBuilder AddAsyncCheck(this IHealthChecksBuilder checks, string name, Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>> check) =>
        checks.Add(new HealthCheckRegistration(name, services => new DelegateHealthCheck(services, check), HealthStatus.Unhealthy, null));

    private sealed class DelegateHealthCheck(IServiceProvider services, Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>> check) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                return await check(services, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy(ex.Message, ex);
            }
        }
    }
}
