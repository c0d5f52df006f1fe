using Microsoft.Extensions.Options;

namespace Enforcement.Media.Storage.Retention;

/// <summary>
/// Decides how long the store must lock something. The rule everywhere: the longest applicable
/// period wins, and nothing ever shortens a period already applied.
/// </summary>
public sealed class RetentionPolicy(IOptions<RetentionOptions> options, TimeProvider time)
{
    /// <summary>
    /// The first lock of a new original (class <c>routine</c>): the minimum period counted from the
    /// later of recording and receipt, so a recorder whose clock says 1970 cannot make footage
    /// immediately disposable, and late uploads keep at least the full period.
    /// </summary>
    public DateTimeOffset InitialRetainUntil(DateTimeOffset? recordedAt)
    {
        var now = time.GetUtcNow();
        var start = recordedAt is { } recorded && recorded > now ? recorded : now;
        return start.AddDays(Math.Max(1, options.Value.MinimumDays));
    }
}
