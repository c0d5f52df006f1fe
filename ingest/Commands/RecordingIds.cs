using System.CommandLine;
using Enforcement.Media.Storage.Recordings;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>The <c>recording-id</c> argument of the operator's commands: a whole id, or the short id <c>ingest recordings list</c> shows.</summary>
internal static class RecordingIds
{
    public static Argument<string> Argument() => new("recording-id")
    {
        Description = $"The recording's id, or its short id as 'ingest recordings list' shows it (the last {ShortId.MinLength} or more hex digits).",
    };

    /// <summary>The one recording <paramref name="text"/> names, or null after saying on stderr why there is none.</summary>
    public static async Task<Guid?> ResolveAsync(IServiceProvider services, string text, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(text, out var whole))
        {
            return whole;
        }

        if (!ShortId.TryRead(text, out var digits))
        {
            await Console.Error.WriteLineAsync($"error: '{text}' is neither a recording id nor a short id (the last {ShortId.MinLength} or more hex digits of one).");
            return null;
        }

        var found = await services.GetRequiredService<RecordingListing>().EndingWithAsync(digits, 2, cancellationToken);
        switch (found.Count)
        {
            case 1:
                return found[0];
            case 0:
                await Console.Error.WriteLineAsync($"error: no recording's id ends in {digits}.");
                return null;
            default:
                await Console.Error.WriteLineAsync($"error: more than one recording's id ends in {digits}: give more of it ({string.Join(", ", found)}).");
                return null;
        }
    }
}
