using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Storage.Cases;

/// <summary>
/// Checks a case before anything is written. Errors name the field (and the CSV line) so the case
/// system's operators can fix it; warnings (unknown officers, one officer in two places at once)
/// are reported but do not stop the import — the record of what happened comes first.
/// </summary>
public sealed partial class CaseValidator(IOptions<CasesOptions> options)
{
    public const int MaxText = 500;
    private static readonly TimeSpan LongestPlausibleActivity = TimeSpan.FromDays(7);

    public IReadOnlyList<InputProblem> Validate(CaseInput input, IReadOnlySet<string>? knownOfficers, int? line = null)
    {
        var problems = new List<InputProblem>();
        void Error(string field, string message) => problems.Add(new InputProblem(field, message, true, line));
        void Warn(string field, string message) => problems.Add(new InputProblem(field, message, false, line));

        if (string.IsNullOrWhiteSpace(input.CaseNumber))
        {
            Error("caseNumber", "is required");
        }
        else if (!CaseNumberPattern().IsMatch(input.CaseNumber))
        {
            Error("caseNumber", "must be 1–64 characters without control characters or slashes");
        }

        CheckText(input.UnitCode, "unitCode", Error);
        CheckText(input.Subject, "subject", Error);
        CheckText(input.EnforcementType, "enforcementType", Error);

        if (!CaseStatus.All.Contains(input.Status))
        {
            Error("status", $"must be one of {string.Join(", ", CaseStatus.All)}");
        }
        else
        {
            if (input.Status != CaseStatus.Open && input.ClosedAt is null)
            {
                Error("closedAt", $"is required when the status is {input.Status}");
            }

            if (input.Status == CaseStatus.Archived && input.ArchivedAt is null)
            {
                Error("archivedAt", "is required when the status is archived");
            }
        }

        if (input.ClosedAt < input.OpenedAt)
        {
            Error("closedAt", "is before openedAt");
        }

        if (input.ArchivedAt < input.ClosedAt)
        {
            Error("archivedAt", "is before closedAt");
        }

        foreach (var flag in input.Flags.Where(f => !CaseFlags.All.Contains(f)))
        {
            Error("flags", $"'{flag}' is not one of {string.Join(", ", CaseFlags.All)}");
        }

        ValidateActivities(input.Activities, knownOfficers, Error, Warn);
        return problems;
    }

    private void ValidateActivities(IReadOnlyList<ActivityInput> activities, IReadOnlySet<string>? knownOfficers, Action<string, string> error, Action<string, string> warn)
    {
        var stages = options.Value.StageTaxonomy.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < activities.Count; i++)
        {
            var activity = activities[i];
            var at = $"activities[{i}]";
            if (string.IsNullOrWhiteSpace(activity.ExternalId) || activity.ExternalId.Length > 128)
            {
                error($"{at}.id", "is required (1–128 characters): the case system's own id for the activity");
            }
            else if (!ids.Add(activity.ExternalId))
            {
                error($"{at}.id", $"'{activity.ExternalId}' appears twice in this case");
            }

            if (!stages.Contains(activity.Stage))
            {
                error($"{at}.stage", $"'{activity.Stage}' is not a stage; stages are {string.Join(", ", stages)}");
            }

            if (!ActivityTypePattern().IsMatch(activity.Type ?? string.Empty))
            {
                error($"{at}.type", "must be a lowercase code such as seizure, demolition, inspection, interview, interview_room, hearing, service");
            }

            if (activity.EndsAt < activity.StartsAt)
            {
                error($"{at}.endsAt", $"{activity.EndsAt:O} is before startsAt {activity.StartsAt:O} (reversed time window)");
            }
            else if (activity.EndsAt - activity.StartsAt > LongestPlausibleActivity)
            {
                warn($"{at}.endsAt", $"the activity lasts {(activity.EndsAt - activity.StartsAt).TotalDays:F1} days; check the window");
            }

            CheckText(activity.Place, $"{at}.place", error);
            if (activity.Officers.Count == 0)
            {
                warn($"{at}.officers", "no officer is named, so no recording can be linked to this activity automatically");
            }

            foreach (var officer in activity.Officers)
            {
                if (!OfficerPattern().IsMatch(officer))
                {
                    error($"{at}.officers", $"'{officer}' is not an officer id (警号: 1–32 letters or digits)");
                }
                else if (knownOfficers is { Count: > 0 } && !knownOfficers.Contains(officer))
                {
                    warn($"{at}.officers", $"officer '{officer}' is not in the officer registry");
                }
            }
        }

        WarnAboutOfficersInTwoPlaces(activities, warn);
    }

    /// <summary>Overlapping windows are legitimate (several teams); one officer in two overlapping activities is suspicious.</summary>
    private static void WarnAboutOfficersInTwoPlaces(IReadOnlyList<ActivityInput> activities, Action<string, string> warn)
    {
        for (var i = 0; i < activities.Count; i++)
        {
            for (var j = i + 1; j < activities.Count; j++)
            {
                var (a, b) = (activities[i], activities[j]);
                if (a.StartsAt < b.EndsAt && b.StartsAt < a.EndsAt && a.EndsAt >= a.StartsAt && b.EndsAt >= b.StartsAt)
                {
                    foreach (var officer in a.Officers.Intersect(b.Officers, StringComparer.Ordinal))
                    {
                        warn($"activities[{j}].officers", $"officer '{officer}' is also in activities[{i}] at an overlapping time");
                    }
                }
            }
        }
    }

    private static void CheckText(string? value, string field, Action<string, string> error)
    {
        if (value is { Length: > MaxText })
        {
            error(field, $"is longer than {MaxText} characters");
        }
        else if (value is not null && value.Any(char.IsControl))
        {
            error(field, "contains control characters");
        }
    }

    [GeneratedRegex(@"^[^\p{Cc}/\\]{1,64}$")]
    private static partial Regex CaseNumberPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex ActivityTypePattern();

    [GeneratedRegex(@"^[\p{L}\p{N}]{1,32}$")]
    private static partial Regex OfficerPattern();
}
