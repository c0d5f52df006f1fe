using System.Text;

namespace Enforcement.Media.Ingest.Media.Tools;

/// <summary>
/// Keeps the last lines a tool wrote to stderr, bounded in lines and characters: a transcode of a
/// damaged file can print a warning per frame for hours, and only the end says why it stopped.
/// </summary>
public sealed class StandardErrorTail(int maxLines = StandardErrorTail.DefaultMaxLines, int maxChars = StandardErrorTail.DefaultMaxChars)
{
    public const int DefaultMaxLines = 40;
    public const int DefaultMaxChars = 64 * 1024;

    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();
    private int _chars;
    private long _dropped;

    /// <summary>Lines seen in all, kept or not.</summary>
    public long LineCount { get; private set; }

    public void Add(string line)
    {
        // A single line longer than the whole budget keeps its end, where ffmpeg puts the reason.
        if (line.Length > maxChars)
        {
            line = string.Concat("…", line.AsSpan(line.Length - maxChars + 1));
        }

        lock (_gate)
        {
            LineCount++;
            _lines.Enqueue(line);
            _chars += line.Length;
            while (_lines.Count > maxLines || _chars > maxChars)
            {
                _chars -= _lines.Dequeue().Length;
                _dropped++;
            }
        }
    }

    /// <summary>Reads <paramref name="reader"/> to its end, keeping the tail. ffmpeg's progress lines end in CR; they count as lines too.</summary>
    public async Task CollectAsync(TextReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                Add(line);
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            var text = new StringBuilder();
            if (_dropped > 0)
            {
                text.Append("[… ").Append(_dropped).Append(" earlier lines not kept]").Append('\n');
            }

            return text.AppendJoin('\n', _lines).ToString();
        }
    }
}
