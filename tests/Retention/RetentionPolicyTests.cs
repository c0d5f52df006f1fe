using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Retention;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Enforcement.Media.Tests.Retention;

public sealed class RetentionPolicyTests
{
    private static readonly DateTimeOffset Ingested = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly RetentionPolicy _policy = new(Options.Create(new RetentionOptions()), new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero)));

    private static RetentionFacts Facts(params LinkedCaseFacts[] cases) =>
        new(Guid.NewGuid(), Ingested, Ingested.AddHours(-2), Ingested.AddDays(180), [], 0, cases);

    private static LinkedCaseFacts Case(string status, int? closedYear = null, int? archivedYear = null, params string[] flags) =>
        new("C-" + status, status, closedYear is { } c ? new DateTimeOffset(c, 1, 1, 0, 0, 0, TimeSpan.Zero) : null, archivedYear is { } a ? new DateTimeOffset(a, 6, 1, 0, 0, 0, TimeSpan.Zero) : null, flags);

    [Fact]
    public void Footage_in_no_case_is_routine_for_180_days_without_hold()
    {
        var plan = _policy.Plan(Facts());

        Assert.Equal((RetentionClass.Routine, Ingested.AddDays(180), false), (plan.Class, plan.RetainUntil, plan.LegalHold));
    }

    [Fact]
    public void An_open_case_holds_its_footage()
    {
        var plan = _policy.Plan(Facts(Case(CaseStatus.Open)));

        Assert.Equal((RetentionClass.Evidence, true), (plan.Class, plan.LegalHold));
    }

    [Fact]
    public void An_archived_case_keeps_footage_thirty_years_after_archiving_without_hold()
    {
        var plan = _policy.Plan(Facts(Case(CaseStatus.Archived, 2027, 2028)));

        Assert.Equal((new DateTimeOffset(2058, 6, 1, 0, 0, 0, TimeSpan.Zero), false), (plan.RetainUntil, plan.LegalHold));
    }

    [Fact]
    public void A_closed_case_counts_from_closing_until_it_is_archived()
    {
        var plan = _policy.Plan(Facts(Case(CaseStatus.Closed, 2027)));

        Assert.Equal(new DateTimeOffset(2057, 1, 1, 0, 0, 0, TimeSpan.Zero), plan.RetainUntil);
    }

    [Fact]
    public void Closing_one_case_does_not_lift_the_hold_another_open_case_places()
    {
        var plan = _policy.Plan(Facts(Case(CaseStatus.Closed, 2027), Case(CaseStatus.Open)));

        Assert.True(plan.LegalHold);
    }

    [Fact]
    public void Obstruction_makes_footage_permanent_with_a_hold()
    {
        var plan = _policy.Plan(Facts(Case(CaseStatus.Archived, 2027, 2027, CaseFlags.Obstruction)));

        Assert.Equal((RetentionClass.Permanent, true), (plan.Class, plan.LegalHold));
    }

    [Fact]
    public void A_period_already_applied_is_never_shortened()
    {
        var facts = Facts() with { CurrentRetainUntil = Ingested.AddYears(40) };

        Assert.Equal(Ingested.AddYears(40), _policy.Plan(facts).RetainUntil);
    }

    [Fact]
    public void A_records_managers_hold_beats_every_period()
    {
        Assert.True(_policy.Plan(Facts() with { ActiveManualHolds = 1 }).LegalHold);
    }

    [Fact]
    public void A_recorder_clock_in_1970_never_makes_new_footage_disposable()
    {
        var facts = Facts() with { RecorderStartedAt = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero) };

        Assert.Equal(Ingested.AddDays(180), _policy.Plan(facts).RetainUntil);
    }

    [Theory]
    [InlineData(2099)]
    [InlineData(9999)]
    public void A_recorder_clock_far_in_the_future_does_not_lock_footage_for_a_century(int year)
    {
        var facts = Facts() with { RecorderStartedAt = new DateTimeOffset(year, 12, 31, 0, 0, 0, TimeSpan.Zero) };

        Assert.Equal(Ingested.AddDays(180), _policy.Plan(facts).RetainUntil);
    }
}
