using System.Text;
using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Player.Display;
using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Player.Visibility;
using Enforcement.Media.Storage.Recorders;

namespace Enforcement.Media.Player.Recorders;

/// <summary>
/// The recorder register API (执法记录仪台账): read by whoever reads cases, kept by supervisors and records
/// managers — each for their unit and the units under it. Bearer tokens, or the browser session with its
/// antiforgery header on every write.
/// </summary>
public static class RecorderEndpoints
{
    public const int MaxListed = 5000;

    public static IEndpointRouteBuilder MapRecorderEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").AddEndpointFilter<RefusedProblemFilter>();

        api.MapGet("/recorders", async (string? unit, string? status, string? q, RecorderService recorders, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok((await recorders.ListAsync(Viewer.Of(context.User), new RecorderFilter(unit, status, q), MaxListed, cancellationToken)).Select(View)))
            .RequireAuthorization(PlayerPolicies.ReadRecorders);

        api.MapGet("/recorders.csv", async (string? unit, string? status, string? q, RecorderService recorders, LocalClock clock, HttpContext context, CancellationToken cancellationToken) =>
            {
                var list = await recorders.ListAsync(Viewer.Of(context.User), new RecorderFilter(unit, status, q), RecorderStore.MaxEntries, cancellationToken);
                context.Response.Headers.CacheControl = "no-store";
                return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(RecorderCsv.Write(list, clock))).ToArray(), "text/csv; charset=utf-8", "recorders.csv");
            })
            .RequireAuthorization(PlayerPolicies.ReadRecorders);

        api.MapGet("/recorders/unregistered", async (RecorderService recorders, HttpContext context, CancellationToken cancellationToken) =>
            {
                var viewer = Viewer.Of(context.User);
                var items = await recorders.UnregisteredAsync(viewer, MaxListed, cancellationToken);
                return TypedResults.Ok(new { count = await recorders.UnregisteredCountAsync(viewer, cancellationToken), items });
            })
            .RequireAuthorization(PlayerPolicies.ReadRecorders);

        // The body is read as UTF-8 CSV whatever its declared type: content-type matching (Accepts) would
        // answer a stranger 415 before authorization turned them away.
        api.MapPost("/recorders/import", async (RecorderService recorders, HttpContext context, CancellationToken cancellationToken) =>
            {
                using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                var report = await recorders.ImportAsync(Viewer.Of(context.User), reader, cancellationToken);
                return report.Saved
                    ? Results.Ok(new { report.Created, report.Updated, report.Unchanged })
                    : TypedResults.Problem(
                        statusCode: StatusCodes.Status400BadRequest,
                        title: "Nothing was imported: the file has problems, each named with its line.",
                        extensions: new Dictionary<string, object?> { ["problems"] = report.Problems.Select(p => new { p.Line, p.Field, p.Message }) });
            })
            .RequireAuthorization(PlayerPolicies.ManageRecorders)
            .AddEndpointFilter<AntiforgeryFilter>();

        const string one = "/recorders/{serial}";
        api.MapGet(one, async (string serial, RecorderService recorders, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(DetailView(await recorders.DetailAsync(Viewer.Of(context.User), serial, cancellationToken))))
            .RequireAuthorization(PlayerPolicies.ReadRecorders);

        api.MapPut(one, async (string serial, RecorderBody body, RecorderService recorders, HttpContext context, CancellationToken cancellationToken) =>
            {
                var (detail, created) = await recorders.SaveAsync(Viewer.Of(context.User), serial, body, "api", cancellationToken);
                return created
                    ? Results.Created($"/api/v1/recorders/{Uri.EscapeDataString(detail.Recorder.Serial)}", DetailView(detail))
                    : Results.Ok(DetailView(detail));
            })
            .RequireAuthorization(PlayerPolicies.ManageRecorders)
            .AddEndpointFilter<AntiforgeryFilter>();

        api.MapPost(one + "/assignments", async (string serial, NewAssignment body, RecorderService recorders, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(DetailView(await recorders.AssignAsync(Viewer.Of(context.User), serial, body, "api", cancellationToken))))
            .RequireAuthorization(PlayerPolicies.ManageRecorders)
            .AddEndpointFilter<AntiforgeryFilter>();

        return endpoints;
    }

    /// <summary>The API's shape of a recorder.</summary>
    public static object View(RecorderRecord r) => new
    {
        r.Serial,
        r.Model,
        unit = r.UnitCode,
        r.Status,
        r.Notes,
        r.CreatedAt,
        r.CreatedBy,
        r.UpdatedAt,
        r.UpdatedBy,
        currentOfficer = r.CurrentOfficerId is null ? null : new { officerId = r.CurrentOfficerId, since = r.CurrentSince },
        r.Recordings,
        r.FirstDockedAt,
        r.LastDockedAt,
        r.LastClockOffsetSeconds,
        r.ClockMeasuredAt,
    };

    private static object DetailView(RecorderDetail detail) => new
    {
        recorder = View(detail.Recorder),
        assignments = detail.History.Select(a => new { a.OfficerId, a.From, a.To, a.AssignedBy, a.EndedBy, a.OfficerKnown }),
    };
}
