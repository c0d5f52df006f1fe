using System.Globalization;

namespace Enforcement.Media.Ingest.Media.Renditions;

/// <summary>The ffmpeg argument list that carries out a <see cref="RenditionPlan"/>.</summary>
public static class RenditionArguments
{
    public static IReadOnlyList<string> Build(RenditionPlan plan, MediaOptions options, string input, string output)
    {
        if (plan.Method == RenditionMethod.None)
        {
            throw new ArgumentException("There is no rendition to make.", nameof(plan));
        }

        List<string> arguments = ["-hide_banner", "-nostats", "-v", "warning", "-format_whitelist", options.InputFormats, "-i", input];
        if (plan.Method == RenditionMethod.Still)
        {
            // ffmpeg turns the picture upright by its orientation before the filters; the JPEG encoder writes no EXIF.
            arguments.AddRange(["-map", $"0:{plan.VideoStream}", "-frames:v", "1"]);
            if (plan.Size is { } fitted)
            {
                arguments.AddRange(["-vf", $"scale={fitted.Width}:{fitted.Height}"]);
            }

            arguments.AddRange(["-map_metadata", "-1", "-c:v", "mjpeg", "-q:v", "2", "-f", "image2", "-update", "1", output]);
            return arguments;
        }

        if (plan.VideoStream is { } video)
        {
            arguments.AddRange(["-map", $"0:{video}"]);
        }

        if (plan.AudioStream is { } audio)
        {
            arguments.AddRange(["-map", $"0:{audio}"]);
        }

        if (plan.VideoStream is not null)
        {
            if (plan.CopyVideo)
            {
                arguments.AddRange(["-c:v", "copy"]);
            }
            else
            {
                // ffmpeg turns rotated video upright before these filters (autorotate), so the size is the upright one.
                var scale = plan.Size is { } size ? $"scale={size.Width}:{size.Height}" : "scale=trunc(iw/2)*2:trunc(ih/2)*2";
                arguments.AddRange(
                [
                    "-vf", plan.Deinterlace ? $"yadif=mode=send_frame,{scale}" : scale,
                    "-c:v", "libx264", "-preset", options.X264Preset, "-crf", options.X264Crf.ToString(CultureInfo.InvariantCulture),
                    "-profile:v", "high", "-pix_fmt", "yuv420p",

                    // Keep every frame at its own time: variable frame rate stays variable, nothing is duplicated or dropped.
                    "-fps_mode", "passthrough",
                ]);
            }
        }

        if (plan.AudioStream is not null)
        {
            if (plan.CopyAudio)
            {
                arguments.AddRange(["-c:a", "copy"]);
            }
            else
            {
                arguments.AddRange(["-c:a", "aac", "-b:a", $"{options.AudioBitrateKbps}k"]);
                if (plan.DownmixToStereo)
                {
                    arguments.AddRange(["-ac", "2"]);
                }
            }
        }

        // +faststart: the index (moov) goes before the media data, so a browser can start playing and seek at once.
        arguments.AddRange(["-map_chapters", "-1", "-max_muxing_queue_size", "4096", "-movflags", "+faststart", "-f", "mp4", output]);
        return arguments;
    }
}
