using Enforcement.Media.Storage.Cases;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Storage.Retention;

/// <summary>
/// Decides how long the store must lock something. The rules everywhere: the longest applicable
/// period wins; a record in an open case is never deleted (legal hold); a legal hold beats every
/// period; nothing ever shortens a period already applied.
/// </summary>
public sealed class RetentionPolicy(IOptions<RetentionOptions> options, TimeProvider time)
{
    /// <summary>
    /// The first lock of a new original (class <c>routine</c>): the minimum period counted from the
    /// later of recording and receipt, so a recorder whose clock says 1970 cannot make footage
    /// immediately disposable, and late uploads keep at least the full period.
    /// </summary>
    public DateTimeOffset InitialRetainUntil(DateTimeOffset? recordedAt) => RoutineUntil(time.GetUtcNow(), recordedAt);

    public RetentionPlan Plan(RetentionFacts facts)
    {
        var reasons = new List<string>();
        var until = RoutineUntil(facts.IngestedAt, facts.RecorderStartedAt);
        reasons.Add($"routine: {options.Value.MinimumDays} days from recording or receipt → {until:O}");

        var flags = facts.RecordingFlags.Concat(facts.Cases.SelectMany(c => c.Flags)).Where(CaseFlags.All.Contains).Distinct(StringComparer.Ordinal).ToList();
        var hold = false;
        foreach (var linked in facts.Cases)
        {
            if (linked.Status == CaseStatus.Open)
            {
                hold = true;
                reasons.Add($"case {linked.CaseNumber} is open: legal hold");
                continue;
            }

            // Closed but not yet archived: counting from the close date is a lower bound of the
            // evidence period (archiving comes later), so the lock never outruns the policy.
            var from = linked.ArchivedAt ?? linked.ClosedAt;
            if (from is { } start)
            {
                var evidenceUntil = start.AddYears(options.Value.EvidenceYearsAfterArchive);
                reasons.Add($"case {linked.CaseNumber} {linked.Status}: {options.Value.EvidenceYearsAfterArchive} years from {start:O} → {evidenceUntil:O}");
                until = Max(until, evidenceUntil);
            }
        }

        if (facts.ActiveManualHolds > 0)
        {
            hold = true;
            reasons.Add($"{facts.ActiveManualHolds} legal hold(s) placed by a records manager");
        }

        if (flags.Count > 0)
        {
            hold = true;
            reasons.Add($"permanent: {string.Join(", ", flags)}");
        }

        if (facts.CurrentRetainUntil > until)
        {
            reasons.Add($"already locked until {facts.CurrentRetainUntil:O}, which is never shortened");
            until = facts.CurrentRetainUntil;
        }

        var retentionClass = flags.Count > 0 ? RetentionClass.Permanent : facts.Cases.Count > 0 ? RetentionClass.Evidence : RetentionClass.Routine;
        return new RetentionPlan(facts.RecordingId, retentionClass, until, hold, reasons);
    }

    /// <summary>
    /// A recorder clock can be wrong both ways: one in 1970 must not shorten the period (receipt time
    /// is used), and one far in the future (a 2099 clock) must not turn a 180-day period into a
    /// COMPLIANCE lock for a century — a recorded time more than a day after receipt is not trusted.
    /// </summary>
    private DateTimeOffset RoutineUntil(DateTimeOffset receivedAt, DateTimeOffset? recordedAt)
    {
        var start = recordedAt is { } recorded && recorded > receivedAt && recorded <= receivedAt.AddDays(1) ? recorded : receivedAt;
        return start.AddDays(Math.Max(1, options.Value.MinimumDays));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
