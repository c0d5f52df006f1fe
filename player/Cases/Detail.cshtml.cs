using Enforcement.Media.Player.Accounts;
using Enforcement.Media.Storage.Cases;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace Enforcement.Media.Player.Cases;

/// <summary>
/// One case: its facts, its stages in order, the activities inside each in time order with
/// their footage on a timeline, the completeness gaps, and the recordings no activity claims. A case the
/// user may not see is answered as not found, so its existence is not revealed.
/// </summary>
[Authorize(Policy = PlayerPolicies.ReadCases)]
public sealed class DetailModel(CaseQueries queries, CompletenessService completeness, NpgsqlDataSource dataSource) : PageModel
{
    public CaseRecord Case { get; private set; } = null!;

    public IReadOnlyList<CaseStage> Stages { get; private set; } = [];

    public CompletenessReport Report { get; private set; } = null!;

    /// <summary>Recordings linked without an activity, by the stage their link names (null: the case only).</summary>
    public IReadOnlyDictionary<Guid, string?> UnplacedStages { get; private set; } = new Dictionary<Guid, string?>();

    public async Task<IActionResult> OnGetAsync(string caseNumber, CancellationToken cancellationToken)
    {
        if (!await queries.MaySeeAsync(caseNumber, User.UserId(), User.UnitCode(), cancellationToken))
        {
            return NotFound();
        }

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            Case = await CaseStore.FindAsync(connection, null, caseNumber, cancellationToken) ?? throw new CaseNotFoundException(caseNumber);
        }

        Stages = await queries.StagesAsync(Case.Id, cancellationToken);
        Report = await completeness.ReportAsync(caseNumber, cancellationToken);
        UnplacedStages = await queries.UnplacedStagesAsync(Case.Id, cancellationToken);
        return Page();
    }

    /// <summary>The activities of a stage in time order.</summary>
    public IEnumerable<ActivityCompleteness> ActivitiesOf(string stageCode) =>
        Report.Activities.Where(a => a.Stage == stageCode).OrderBy(a => a.StartsAt).ThenBy(a => a.ExternalId, StringComparer.Ordinal);

    /// <summary>Recordings linked to a stage but to no activity of it.</summary>
    public IEnumerable<RecordingSpan> UnplacedIn(string stageCode) =>
        Report.UnplacedRecordings.Where(r => UnplacedStages.TryGetValue(r.RecordingId, out var stage) && stage == stageCode);

    public static TimelineScale ScaleOf(ActivityCompleteness activity) =>
        new([(activity.StartsAt, activity.EndsAt), .. activity.Recordings.Select(r => (r.Start, r.End)), .. activity.Gaps.Select(g => (g.From, g.To))]);
}
