using Enforcement.Media.Storage.Cases;
using Microsoft.Extensions.Options;

namespace Enforcement.Media.Tests.Cases;

public sealed class CaseValidatorTests
{
    private static readonly DateTimeOffset Nine = new(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(8));
    private readonly CaseValidator _validator = new(Options.Create(new CasesOptions()));

    public static CaseInput Case(params ActivityInput[] activities) =>
        new("浙杭综执罚〔2026〕101号", "330100000000", "某某餐饮店", "处罚", CaseStatus.Open, Nine.AddDays(-3), null, null, [], activities);

    public static ActivityInput Activity(string id, DateTimeOffset from, DateTimeOffset to, params string[] officers) =>
        new(id, "investigation", "seizure", from, to, "某区某路 1 号", officers);

    [Fact]
    public void A_well_formed_case_has_no_problems()
    {
        Assert.Empty(_validator.Validate(Case(Activity("A1", Nine, Nine.AddHours(1), "123456")), null));
    }

    [Fact]
    public void A_reversed_time_window_is_an_error_naming_the_activity_field()
    {
        var problems = _validator.Validate(Case(Activity("A1", Nine, Nine.AddMinutes(-5), "123456")), null);

        var error = Assert.Single(problems, p => p.IsError);
        Assert.Equal("activities[0].endsAt", error.Field);
        Assert.Contains("reversed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_officer_in_two_overlapping_activities_is_a_warning_not_an_error()
    {
        var problems = _validator.Validate(Case(Activity("A1", Nine, Nine.AddHours(1), "123456"), Activity("A2", Nine.AddMinutes(30), Nine.AddHours(2), "123456", "654321")), null);

        var warning = Assert.Single(problems);
        Assert.False(warning.IsError);
        Assert.Equal("activities[1].officers", warning.Field);
    }

    [Fact]
    public void Officers_missing_from_a_populated_registry_are_warned_about()
    {
        var problems = _validator.Validate(Case(Activity("A1", Nine, Nine.AddHours(1), "123456", "999999")), new HashSet<string> { "123456" });

        var warning = Assert.Single(problems);
        Assert.False(warning.IsError);
        Assert.Contains("999999", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("closed", null, null, "closedAt")]
    [InlineData("archived", 1, null, "archivedAt")]
    [InlineData("pending", null, null, "status")]
    public void The_status_needs_its_dates(string status, int? closedDays, int? archivedDays, string field)
    {
        var input = Case() with { Status = status, ClosedAt = closedDays is { } c ? Nine.AddDays(c) : null, ArchivedAt = archivedDays is { } a ? Nine.AddDays(a) : null };

        Assert.Contains(_validator.Validate(input, null), p => p.IsError && p.Field == field);
    }

    [Fact]
    public void Archiving_before_closing_is_an_error()
    {
        var input = Case() with { Status = CaseStatus.Archived, ClosedAt = Nine, ArchivedAt = Nine.AddDays(-1) };

        Assert.Contains(_validator.Validate(input, null), p => p.IsError && p.Field == "archivedAt");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("../../etc/passwd")]
    [InlineData("bad\u0000number")]
    public void Unusable_case_numbers_are_refused(string caseNumber)
    {
        Assert.Contains(_validator.Validate(Case() with { CaseNumber = caseNumber }, null), p => p.IsError && p.Field == "caseNumber");
    }

    [Fact]
    public void Very_long_text_is_refused_with_the_limit()
    {
        var problems = _validator.Validate(Case() with { Subject = new string('x', 10_000) }, null);

        Assert.Contains(problems, p => p.IsError && p.Field == "subject" && p.Message.Contains("500", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_stages_types_flags_and_duplicate_activity_ids_are_errors()
    {
        var input = Case(
            Activity("A1", Nine, Nine.AddHours(1), "123456") with { Stage = "lunch" },
            Activity("A1", Nine, Nine.AddHours(1), "123456") with { Type = "Seizure!" }) with
        { Flags = ["famous"] };

        var fields = _validator.Validate(input, null).Where(p => p.IsError).Select(p => p.Field).ToList();

        Assert.Contains("activities[0].stage", fields);
        Assert.Contains("activities[1].id", fields);
        Assert.Contains("activities[1].type", fields);
        Assert.Contains("flags", fields);
    }
}
