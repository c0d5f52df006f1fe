using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Redactions;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>
/// Why a redaction cannot be rendered, in words for the reviewer who asked for it; null when it can.
/// None of these change on a retry, so the redaction fails at once.
/// </summary>
public static class RedactionRefusals
{
    public static string? Reason(RecordingStanding? standing, ProbeResult? probe, RedactionSpec spec)
    {
        if (standing is null)
        {
            return "The recording is not in the catalogue.";
        }

        if (standing.Disposed)
        {
            return "The recording was disposed of: there is nothing left to redact.";
        }

        if (standing.QuarantineReason is { } quarantine)
        {
            return $"The recording is quarantined ({quarantine}): no copy of footage whose delivery could not be verified is made for release.";
        }

        if (probe is null)
        {
            return "The recording has not been probed: what it holds, and its picture size, are not known yet.";
        }

        if (!probe.Playable)
        {
            return $"The recording is unplayable: {probe.UnplayableReason}";
        }

        var media = probe.Probe;
        if (media.Kind is not (MediaKind.Video or MediaKind.Audio or MediaKind.Photo)
            || (media.Kind is MediaKind.Video or MediaKind.Photo && media.Video is null)
            || (media.Kind == MediaKind.Audio && media.Audio is null))
        {
            return "The recording is not video, audio or a photo that ffmpeg can read.";
        }

        var problems = RedactionSpecValidator.Check(spec, media.Kind, media.DurationSeconds).Select(p => $"{p.Field}: {p.Message}").ToList();
        for (var i = 0; i < spec.RegionList.Count; i++)
        {
            if (spec.RegionList[i].KeyframeList.Count > 0 && RegionCover.Window(spec.RegionList[i]) is var (from, to) && from > to)
            {
                problems.Add($"regions[{i}].from: the region is shown from {from:0.###} s, after its last key position; give a to.");
            }
        }

        return problems.Count == 0 ? null : $"The spec does not fit the recording: {string.Join("; ", problems)}";
    }
}
