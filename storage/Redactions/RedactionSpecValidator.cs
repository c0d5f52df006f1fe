using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Storage.Media;

namespace Enforcement.Media.Storage.Redactions;

/// <summary>
/// Checks a spec against the recording it is for, naming each field to fix: regions inside the picture
/// with a size, key positions in time order within the recording, ranges that run forwards, and
/// nothing a recording of that kind cannot have (regions on audio, audio on a photo).
/// </summary>
public static class RedactionSpecValidator
{
    public static IReadOnlyList<InputProblem> Check(RedactionSpec spec, MediaKind kind, double? durationSeconds)
    {
        var problems = new List<InputProblem>();
        var hasPicture = kind is MediaKind.Video or MediaKind.Photo;
        var isTimed = kind is MediaKind.Video or MediaKind.Audio;
        var end = isTimed ? durationSeconds : 0;

        if (spec.RegionList.Count == 0 && spec.FullFrameList.Count == 0 && spec.AudioList.Count == 0)
        {
            problems.Add(new InputProblem("regions", "Nothing to redact: give at least one region, whole-frame range or audio range."));
        }

        if (spec.RegionList.Count > 0 && !hasPicture)
        {
            problems.Add(new InputProblem("regions", "This recording has no picture: only audio ranges can be redacted."));
        }
        else if (spec.RegionList.Count > RedactionLimits.MaxRegions)
        {
            problems.Add(new InputProblem("regions", $"At most {RedactionLimits.MaxRegions} regions in one redaction ({spec.RegionList.Count} given); blur the whole frame for a crowd."));
        }
        else
        {
            var total = spec.RegionList.Sum(r => r.KeyframeList.Count);
            if (total > RedactionLimits.MaxKeyframes)
            {
                problems.Add(new InputProblem("regions", $"At most {RedactionLimits.MaxKeyframes} key positions in all regions together ({total} given)."));
            }

            for (var i = 0; i < spec.RegionList.Count; i++)
            {
                CheckRegion(spec.RegionList[i], $"regions[{i}]", kind, end, problems);
            }
        }

        if (spec.FullFrameList.Count > 0 && kind != MediaKind.Video)
        {
            problems.Add(new InputProblem("fullFrame", kind == MediaKind.Photo
                ? "A photo has no time ranges: cover the picture with a region instead."
                : "This recording has no picture: only audio ranges can be redacted."));
        }
        else
        {
            CheckRanges(spec.FullFrameList.Select(r => (r.From, r.To)).ToList(), "fullFrame", end, problems);
        }

        if (spec.AudioList.Count > 0 && (kind == MediaKind.Photo || (kind == MediaKind.Video && durationSeconds is null)))
        {
            problems.Add(new InputProblem("audio", "This recording has no sound to redact."));
        }
        else
        {
            CheckRanges(spec.AudioList.Select(r => (r.From, r.To)).ToList(), "audio", end, problems);
            for (var i = 0; i < spec.AudioList.Count; i++)
            {
                if (spec.AudioList[i].Mode is not (AudioRedaction.Mute or AudioRedaction.Bleep))
                {
                    problems.Add(new InputProblem($"audio[{i}].mode", $"The mode is '{AudioRedaction.Mute}' or '{AudioRedaction.Bleep}'."));
                }
            }
        }

        return problems;
    }

    private static void CheckRegion(RedactionRegion region, string field, MediaKind kind, double? end, List<InputProblem> problems)
    {
        if (region.Shape is not (RedactionRegion.Rectangle or RedactionRegion.Ellipse))
        {
            problems.Add(new InputProblem($"{field}.shape", $"The shape is '{RedactionRegion.Rectangle}' or '{RedactionRegion.Ellipse}'."));
        }

        var keys = region.KeyframeList;
        if (keys.Count == 0)
        {
            problems.Add(new InputProblem($"{field}.keyframes", "A region needs at least one key position."));
            return;
        }

        if (keys.Count > RedactionLimits.MaxKeyframesPerRegion)
        {
            problems.Add(new InputProblem($"{field}.keyframes", $"At most {RedactionLimits.MaxKeyframesPerRegion} key positions in one region ({keys.Count} given)."));
            return;
        }

        if (kind == MediaKind.Photo && (keys.Count != 1 || region.From is not null || region.To is not null))
        {
            problems.Add(new InputProblem($"{field}.keyframes", "A region on a photo has exactly one position (t = 0) and no from or to."));
        }

        for (var k = 0; k < keys.Count; k++)
        {
            var key = keys[k];
            var at = $"{field}.keyframes[{k}]";
            if (!double.IsFinite(key.X) || !double.IsFinite(key.Y) || !double.IsFinite(key.W) || !double.IsFinite(key.H) || !double.IsFinite(key.T))
            {
                problems.Add(new InputProblem(at, "t, x, y, w and h are finite numbers."));
                continue;
            }

            if (key.W <= 0 || key.H <= 0)
            {
                problems.Add(new InputProblem($"{at}.w", "A region has a width and a height above zero."));
            }

            if (key.X < 0 || key.Y < 0 || key.X + key.W > 1 + RedactionLimits.EdgeSlack || key.Y + key.H > 1 + RedactionLimits.EdgeSlack)
            {
                problems.Add(new InputProblem($"{at}.x", "A region lies inside the picture: x, y ≥ 0 and x + w, y + h ≤ 1 (fractions of the upright picture)."));
            }

            CheckTime(key.T, $"{at}.t", end, problems);
            if (k > 0 && double.IsFinite(keys[k - 1].T) && key.T <= keys[k - 1].T)
            {
                problems.Add(new InputProblem($"{at}.t", "Key positions are in time order, each later than the one before."));
            }
        }

        if (region.From is { } from)
        {
            CheckTime(from, $"{field}.from", end, problems);
        }

        if (region.To is { } to)
        {
            CheckTime(to, $"{field}.to", end, problems);
            if (region.From is { } start && start >= to)
            {
                problems.Add(new InputProblem($"{field}.from", "from is before to."));
            }
        }
    }

    private static void CheckRanges(List<(double From, double To)> ranges, string field, double? end, List<InputProblem> problems)
    {
        if (ranges.Count > RedactionLimits.MaxRanges)
        {
            problems.Add(new InputProblem(field, $"At most {RedactionLimits.MaxRanges} ranges ({ranges.Count} given)."));
            return;
        }

        for (var i = 0; i < ranges.Count; i++)
        {
            var (from, to) = ranges[i];
            CheckTime(from, $"{field}[{i}].from", end, problems);
            CheckTime(to, $"{field}[{i}].to", end, problems);
            if (double.IsFinite(from) && double.IsFinite(to) && from >= to)
            {
                problems.Add(new InputProblem($"{field}[{i}].from", "from is before to."));
            }
        }
    }

    private static void CheckTime(double seconds, string field, double? end, List<InputProblem> problems)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
        {
            problems.Add(new InputProblem(field, "A time is a number of seconds, zero or more."));
        }
        else if (end is { } limit && seconds > limit + RedactionLimits.DurationSlackSeconds)
        {
            problems.Add(new InputProblem(field, $"{seconds:0.###} s is beyond the end of the recording ({limit:0.###} s)."));
        }
    }
}
