using Enforcement.Media.Storage.Catalogue;
using Enforcement.Media.Storage.Publications;

namespace Enforcement.Media.Player.Publications;

/// <summary>
/// The publication access log, kept as the viewing ledger is (<see cref="Playback.RangeLog"/>): a public
/// request hands its line here and waits until it is committed, before its first byte or its refusal goes
/// out; one writer puts whatever is waiting into one transaction (<see cref="GroupCommit{TItem}"/>), so
/// many ranges at once share commits instead of taking one each. A line that cannot be written — the
/// catalogue fails, the player is stopping — fails its request, which then serves nothing.
/// </summary>
public sealed partial class PublicViewLog(PublicationStore store, ILogger<PublicViewLog> logger) : BackgroundService
{
    /// <summary>Most lines one transaction writes.</summary>
    public const int BatchSize = 256;

    private readonly GroupCommit<PublicView> _commits = new();

    /// <summary>Returns once the line is committed; throws <see cref="GroupCommitException"/> when it could not be.</summary>
    public Task RecordAsync(PublicView view, CancellationToken cancellationToken) => _commits.SubmitAsync(view, cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _commits.RunAsync(BatchSize, WriteAsync, LogFailed, stoppingToken);

    private async Task<Predicate<PublicView>> WriteAsync(IReadOnlyList<PublicView> views, CancellationToken cancellationToken)
    {
        await store.LogViewsAsync(views, cancellationToken);
        return _ => true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Count} lines of the publication access log; their requests failed, nothing was served")]
    private partial void LogFailed(Exception exception, int count);
}
