using System.Text;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Retention;

/// <summary>
/// The destruction register (销毁清册) for records managers: the disposals of a period as JSON and as CSV. Its
/// query is a filter like the ledger's, so bad input is a 400 naming the parameter as there (the rest of the
/// records managers' API answers its bodies with 422).
/// </summary>
public static class DestructionRegisterEndpoints
{
    public static IEndpointRouteBuilder MapDestructionRegisterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var register = endpoints.MapGroup("/api/v1/retention").RequireAuthorization(PlayerPolicies.ManageRetention).AddEndpointFilter<RefusedProblemFilter>();

        register.MapGet("/destruction-register", async (string? from, string? to, DestructionRegister entries, LocalClock clock, CancellationToken cancellationToken) =>
        {
            var (start, end) = DestructionRegister.Period(from, to, clock);
            return TypedResults.Ok(new { from = start, to = end, items = await entries.ListAsync(start, end, cancellationToken) });
        });

        register.MapGet("/destruction-register.csv", async (string? from, string? to, DestructionRegister entries, LocalClock clock, HttpContext context, CancellationToken cancellationToken) =>
        {
            var (start, end) = DestructionRegister.Period(from, to, clock);
            var csv = DestructionRegisterCsv.Write(await entries.ListAsync(start, end, cancellationToken), clock);
            context.Response.Headers.CacheControl = "no-store";

            // A byte order mark, so a spreadsheet reads the Chinese as UTF-8.
            return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray(), "text/csv; charset=utf-8", "destruction-register.csv");
        });

        return endpoints;
    }
}
