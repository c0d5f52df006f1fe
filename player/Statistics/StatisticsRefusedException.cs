using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Statistics;

/// <summary>A statistics request refused as asked; <paramref name="field"/> names the query parameter to fix.</summary>
public sealed class StatisticsRefusedException(Refusal kind, string field, string message)
    : RefusedException(kind, message, field)
{
    public new string Field => base.Field!;

    public static StatisticsRefusedException Invalid(string field, string message) => new(Refusal.Invalid, field, message);
}
