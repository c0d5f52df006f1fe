namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>ffmpeg expressions in <c>t</c>, the frame's time in seconds.</summary>
public static class TimeExpression
{
    /// <summary>
    /// The value moving linearly between <paramref name="points"/> (in time order), holding the first
    /// value before the first time and the last after the last: nested <c>if(lt(t,…))</c>, one per
    /// segment, so the expression is only as deep as the points are many.
    /// </summary>
    public static string Piecewise(IReadOnlyList<(double T, double Value)> points)
    {
        if (points.Count == 0)
        {
            throw new ArgumentException("A path needs at least one point.", nameof(points));
        }

        if (points.All(p => p.Value == points[0].Value))
        {
            return FilterText.Number(points[0].Value);
        }

        var expression = FilterText.Number(points[^1].Value);
        for (var i = points.Count - 2; i >= 0; i--)
        {
            var (t0, v0) = points[i];
            var (t1, v1) = points[i + 1];
            var slope = (v1 - v0) / (t1 - t0);
            var elapsed = i == 0 ? $"max(t-{FilterText.Number(t0)},0)" : $"(t-{FilterText.Number(t0)})";
            var segment = slope == 0
                ? FilterText.Number(v0)
                : $"{FilterText.Number(v0)}{(slope < 0 ? "-" : "+")}{FilterText.Number(Math.Abs(slope))}*{elapsed}";
            expression = $"if(lt(t,{FilterText.Number(t1)}),{segment},{expression})";
        }

        return expression;
    }

    /// <summary>True in any of the ranges, each widened by <paramref name="lead"/> before its start.</summary>
    public static string Within(IEnumerable<(double From, double To)> ranges, double lead) =>
        string.Join('+', ranges.Select(r => double.IsPositiveInfinity(r.To)
            ? $"gte(t,{FilterText.Number(r.From - lead)})"
            : $"between(t,{FilterText.Number(r.From - lead)},{FilterText.Number(r.To)})"));
}
