using Enforcement.Media.Storage.Redactions;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// Builds the filter graph that renders a <see cref="RedactionSpec"/> onto a <see cref="RedactionSource"/>.
/// Pure: the same spec and source always give the same text.
/// <list type="bullet">
/// <item>The picture is turned upright by ffmpeg, scaled to even pixels and converted to 4:2:0, then
/// split: one branch per <see cref="RegionRun"/> crops its box (following the region's centre, kept
/// inside the frame), blurs it beyond recognition and overlays it back at the same place while the run
/// is shown. Ellipses get an alpha mask, so the box's corners stay untouched.</item>
/// <item>Whole-frame ranges blur the entire picture.</item>
/// <item>Audio is cut into 10 ms frames and silenced in muted and bleeped ranges; a 1 kHz tone is added
/// in bleeped ones.</item>
/// </list>
/// </summary>
public static class RedactionFilterGraph
{
    /// <summary>
    /// At most this many region branches: more would make every frame pass through thousands of filters.
    /// Runs are merged (a larger box over a longer stretch) until the count fits; one region with
    /// <see cref="RedactionLimits.MaxKeyframes"/> keys needs ~320.
    /// </summary>
    public const int MaxBranches = 500;

    /// <summary>Size tolerances tried in turn: a run's largest width (or height) is at most this many times its smallest.</summary>
    public static readonly IReadOnlyList<double> SizeTolerances = [1.25, 1.5, 2, 3, 5, 10, double.PositiveInfinity];

    public const int BleepHertz = 1000;

    /// <summary>Audio frames of 10 ms: silence starts and ends within 10 ms of the range.</summary>
    public const int AudioFramesPerSecond = 100;

    public static RedactionGraph Build(RedactionSpec spec, RedactionSource source)
    {
        var chains = new List<string>();
        string? videoMap = null, audioMap = null;
        var branches = 0;
        if (source.VideoStream is { } video)
        {
            var runs = Runs(spec, source);
            branches = runs.Count;
            Video(chains, video, runs, spec.FullFrameList, source);
            videoMap = "[v]";
        }

        if (source.AudioStream is { } audio)
        {
            if (spec.AudioList.Count == 0)
            {
                audioMap = $"0:{audio}";
            }
            else
            {
                Audio(chains, audio, spec.AudioList, source.SampleRate ?? 48_000);
                audioMap = "[a]";
            }
        }

        return new RedactionGraph(string.Join(";\n", chains), videoMap, audioMap, branches);
    }

    /// <summary>Every region's runs, merged with growing tolerance until they fit <see cref="MaxBranches"/>.</summary>
    public static IReadOnlyList<RegionRun> Runs(RedactionSpec spec, RedactionSource source)
    {
        IReadOnlyList<RegionRun> runs = [];
        foreach (var tolerance in SizeTolerances)
        {
            runs = [.. spec.RegionList.SelectMany(region => RegionCover.Runs(region, source.Width, source.Height, tolerance))];
            if (runs.Count <= MaxBranches)
            {
                return runs;
            }
        }

        throw new ArgumentException($"The regions need {runs.Count} filter branches even at one box per {RegionCover.MaxKeysPerRun} keys; at most {MaxBranches}.", nameof(spec));
    }

    private static void Video(List<string> chains, int stream, IReadOnlyList<RegionRun> runs, IReadOnlyList<TimeRange> fullFrame, RedactionSource source)
    {
        var upright = $"[0:{stream}]{(source.Interlaced ? "yadif=mode=send_frame," : string.Empty)}scale={source.Width}:{source.Height},format=yuv420p";
        chains.Add(runs.Count == 0
            ? $"{upright}[base]"
            : $"{upright},split={runs.Count + 1}[base]{string.Concat(Enumerable.Range(0, runs.Count).Select(i => $"[r{i}]"))}");

        var current = "base";
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var enable = source.IsPhoto ? null : TimeExpression.Within([(run.From, run.To)], source.FrameSeconds);
            var x = Position(run.Keys.Select(k => (k.T, k.Left)).ToList(), source.Width - run.Width);
            var y = Position(run.Keys.Select(k => (k.T, k.Top)).ToList(), source.Height - run.Height);
            List<string> branch = [FilterText.Filter("crop", ("w", FilterText.Number(run.Width)), ("h", FilterText.Number(run.Height)), ("x", x), ("y", y))];
            if (run.Ellipse)
            {
                branch.Add("format=yuva420p");
            }

            branch.Add(Timed(Blur(run.Width, run.Height), enable));
            if (run.Ellipse)
            {
                // Opaque inside the ellipse inscribed in the box, transparent outside; the colour planes pass as they are.
                branch.Add(Timed(FilterText.Filter("geq", ("lum", "p(X,Y)"), ("a", "if(lte(pow((2*X+1)/W-1,2)+pow((2*Y+1)/H-1,2),1),255,0)")), enable));
            }

            chains.Add($"[r{i}]{string.Join(',', branch)}[b{i}]");
            chains.Add($"[{current}][b{i}]{Timed(FilterText.Filter("overlay", ("x", x), ("y", y)), enable)}[o{i}]");
            current = $"o{i}";
        }

        if (fullFrame.Count > 0)
        {
            // A radius of a twelfth of the picture, twice: nothing the size of a face survives.
            var side = Math.Min(source.Width, source.Height);
            var blur = FilterText.Filter(
                "boxblur",
                ("lr", FilterText.Number(Math.Max(1, side / 12))),
                ("lp", "2"),
                ("cr", FilterText.Number(Math.Max(1, side / 24))),
                ("cp", "2"));
            var enable = source.IsPhoto ? null : TimeExpression.Within(fullFrame.Select(r => (r.From, r.To)), source.FrameSeconds);
            chains.Add($"[{current}]{Timed(blur, enable)}[frames]");
            current = "frames";
        }

        chains[^1] = chains[^1][..^(current.Length + 2)] + "[v]";
    }

    /// <summary>
    /// A box blur as wide as the box allows (a radius of half its shorter side, less one: ffmpeg's box
    /// blur drifts in colour at the very limit), three times over: the box becomes a smooth patch.
    /// </summary>
    private static string Blur(int width, int height)
    {
        var side = Math.Min(width, height);
        return FilterText.Filter(
            "boxblur",
            ("lr", FilterText.Number(Math.Max(1, (side / 2) - 1))),
            ("lp", "3"),
            ("cr", FilterText.Number(Math.Max(1, (side / 4) - 1))),
            ("cp", "3"));
    }

    /// <summary>The box's corner along one axis: the path kept inside the frame and rounded down to even pixels, the same for crop and overlay.</summary>
    private static string Position(List<(double T, double Value)> path, int max)
    {
        if (path.All(p => p.Value == path[0].Value))
        {
            return FilterText.Number(2 * (int)Math.Floor(Math.Clamp(path[0].Value, 0, max) / 2));
        }

        return $"2*floor(clip({TimeExpression.Piecewise(path)},0,{FilterText.Number(max)})/2)";
    }

    private static string Timed(string filter, string? enable) =>
        enable is null ? filter : $"{filter}:enable={FilterText.Value(enable)}";

    private static void Audio(List<string> chains, int stream, IReadOnlyList<AudioRedaction> ranges, int sampleRate)
    {
        var samples = Math.Max(1, sampleRate / AudioFramesPerSecond);
        var lead = (double)samples / sampleRate;
        var silenced = TimeExpression.Within(ranges.Select(r => (r.From, r.To)), lead);
        var bleeps = ranges.Where(r => r.Mode == AudioRedaction.Bleep).ToList();
        var mute = $"[0:{stream}]asetnsamples=n={samples}:p=0,volume=volume=0:enable={FilterText.Value(silenced)}";
        if (bleeps.Count == 0)
        {
            chains.Add($"{mute}[a]");
            return;
        }

        chains.Add($"{mute}[muted]");
        var tone = TimeExpression.Within(bleeps.Select(r => (r.From, r.To)), lead);
        chains.Add($"sine=frequency={BleepHertz}:sample_rate={sampleRate}:samples_per_frame={samples},volume=volume=0:enable={FilterText.Value($"not({tone})")}[tone]");

        // normalize=0: the two are added, not averaged, so the audio outside the ranges is left as it was.
        chains.Add("[muted][tone]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[a]");
    }
}
