namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>The ffmpeg argument list that renders a <see cref="RedactionGraph"/> from the original.</summary>
public static class RedactionArguments
{
    /// <summary>
    /// Longer graphs are read from a script file: Linux refuses a single argument over 128 KiB, and a
    /// hundred moving regions can make a graph of megabytes.
    /// </summary>
    public const int InlineGraphLimit = 64 * 1024;

    /// <param name="graphScript">The file holding <see cref="RedactionGraph.Text"/>, when it is too long to pass inline.</param>
    public static IReadOnlyList<string> Build(RedactionGraph graph, RedactionSource source, MediaOptions options, string input, string output, string? graphScript)
    {
        List<string> arguments = [.. ReleaseArguments.Input(options, input)];
        arguments.AddRange(graphScript is null ? ["-filter_complex", graph.Text] : ["-filter_complex_script", graphScript]);
        if (graph.VideoMap is { } video)
        {
            arguments.AddRange(["-map", video, .. ReleaseArguments.Video(options, source.IsPhoto)]);
        }

        if (graph.AudioMap is { } audio)
        {
            arguments.AddRange(["-map", audio, .. ReleaseArguments.Audio(options, source.SampleRate)]);
        }

        arguments.AddRange(ReleaseArguments.Output(source.IsPhoto, output));
        return arguments;
    }
}
