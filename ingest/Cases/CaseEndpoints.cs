using System.Text.Json;
using Enforcement.Media.Ingest.ApiKeys;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Hosting;
using Enforcement.Media.Storage.Stations;
using Npgsql;

namespace Enforcement.Media.Ingest.Cases;

/// <summary>
/// <c>/api/v1/cases</c>: the agency's case system creates and updates cases (idempotent by case
/// number), imports CSV in bulk, keeps the officer registry, and reads completeness reports. Only
/// keys of kind <c>casesystem</c> may call it.
/// </summary>
public static class CaseEndpoints
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new StrictDateTimeOffsetConverter(), new TextJsonConverter() } };

    public static IEndpointRouteBuilder MapCases(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1").AddEndpointFilter<ApiKeyFilter>().AddEndpointFilter(new KeyKindFilter(ApiKeyKind.CaseSystem));
        cases.MapPut("/cases/{caseNumber}", PutAsync);
        cases.MapGet("/cases/{caseNumber}", GetAsync);
        cases.MapGet("/cases/{caseNumber}/completeness", CompletenessAsync);
        cases.MapPost("/cases/import", ImportAsync).Accepts<string>("text/csv");
        cases.MapPut("/officers", OfficersAsync);
        return app;
    }

    private static async Task<IResult> PutAsync(string caseNumber, HttpContext context, CaseService service, CancellationToken cancellationToken)
    {
        CaseInput? input;
        try
        {
            input = await JsonSerializer.DeserializeAsync<CaseInput>(context.Request.Body, Json, cancellationToken);
        }
        catch (UnacceptableTextException ex)
        {
            return FieldProblem.For(StatusCodes.Status400BadRequest, TextInputGuard.Title, FieldProblem.FieldOf(ex), ex.Message);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a case", detail: $"{ex.Path}: {ex.Message}");
        }

        if (input is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is empty");
        }

        input = Normalize(input, caseNumber);
        var result = await service.SubmitAsync(input, Actor(context), cancellationToken);
        var body = new
        {
            caseId = result.CaseId,
            outcome = result.Outcome.ToString().ToLowerInvariant(),
            problems = result.Problems.Select(p => new { field = p.Field, message = p.Message, severity = p.IsError ? "error" : "warning" }),
        };
        return result.Outcome switch
        {
            CaseSubmissionOutcome.Rejected => TypedResults.UnprocessableEntity(body),
            CaseSubmissionOutcome.Created => TypedResults.Created($"/api/v1/cases/{Uri.EscapeDataString(input.CaseNumber)}", body),
            _ => TypedResults.Ok(body),
        };
    }

    private static async Task<IResult> GetAsync(string caseNumber, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await CaseStore.FindAsync(connection, null, caseNumber, cancellationToken);
        if (found is null)
        {
            return TypedResults.NotFound();
        }

        var activities = await CaseStore.ActivitiesAsync(connection, null, found.Id, cancellationToken);
        return TypedResults.Json(new { @case = found, activities }, Json);
    }

    private static async Task<IResult> CompletenessAsync(string caseNumber, CompletenessService completeness, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Json(await completeness.ReportAsync(caseNumber, cancellationToken), Json);
        }
        catch (CaseNotFoundException)
        {
            return TypedResults.NotFound();
        }
    }

    private static async Task<IResult> ImportAsync(HttpContext context, CaseCsvImport import, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(context.Request.Body);
        var report = await import.ImportAsync(reader, Actor(context), cancellationToken);
        var body = new
        {
            report.CasesCreated,
            report.CasesUpdated,
            report.CasesUnchanged,
            report.RowsImported,
            problems = report.Problems.Select(p => new { line = p.Line, field = p.Field, message = p.Message, severity = p.IsError ? "error" : "warning" }),
        };
        return report.HasErrors ? TypedResults.UnprocessableEntity(body) : TypedResults.Ok(body);
    }

    /// <summary>
    /// The officer registry (警号 → name, unit). A registration decides which unit's cases an officer's
    /// footage without a unit of its own may be linked to, so every change is audited, by the key that made it.
    /// </summary>
    private static async Task<IResult> OfficersAsync(OfficerInput[] officers, HttpContext context, NpgsqlDataSource dataSource, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var bad = officers.Select((o, i) => (o, i)).Where(x => string.IsNullOrWhiteSpace(x.o.OfficerId) || x.o.OfficerId.Length > 32).Select(x => $"[{x.i}].officerId").ToList();
        if (bad.Count > 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Officer ids are required (1–32 characters)", detail: string.Join(", ", bad));
        }

        var actor = ApiKeyFilter.KeyOf(context).Actor;
        var changed = 0;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var officer in officers)
        {
            var officerId = officer.OfficerId.Trim();
            var (wasChanged, previousName, previousUnit) = await CaseStore.UpsertOfficerAsync(connection, transaction, officerId, officer.Name, officer.UnitCode, time.GetUtcNow(), cancellationToken);
            if (wasChanged)
            {
                changed++;
                await audit.AppendAsync(
                    connection,
                    transaction,
                    new AuditEntry(actor, "officer.registered", "officer", officerId, new { name = officer.Name, unitCode = officer.UnitCode, previousName, previousUnitCode = previousUnit }),
                    cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(new { updated = officers.Length, changed });
    }

    /// <summary>The URL names the case; JSON nulls for lists become empty lists.</summary>
    private static CaseInput Normalize(CaseInput input, string caseNumber) => input with
    {
        CaseNumber = caseNumber,
        Flags = input.Flags ?? [],
        Activities = [.. (input.Activities ?? []).Select(a => a with { Officers = a.Officers ?? [] })],
    };

    private static string Actor(HttpContext context) => $"key:{ApiKeyFilter.KeyOf(context).Name}";

    internal sealed record OfficerInput(string OfficerId, string? Name, string? UnitCode);
}
