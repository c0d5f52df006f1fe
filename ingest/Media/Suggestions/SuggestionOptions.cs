namespace Enforcement.Media.Ingest.Media.Suggestions;

/// <summary>Configuration section <c>Suggestions</c>: how the worker looks for faces to offer as redaction regions.</summary>
public sealed class SuggestionOptions
{
    public const string Section = "Suggestions";

    /// <summary>
    /// Where OpenCV's cascade files are: Debian's <c>opencv-data</c> package puts them here (in
    /// <c>haarcascades/</c>). Nothing is ever downloaded: a missing file fails the run, naming it.
    /// </summary>
    public string CascadeFolder { get; set; } = "/usr/share/opencv4";

    /// <summary>
    /// Width of the upright frames the detector examines (never wider than the picture itself). The
    /// smallest face found is about 24 px at this width: wider finds smaller faces, at about the square of the cost.
    /// </summary>
    public int FrameWidth { get; set; } = 640;

    /// <summary>Also look for faces in profile (OpenCV's profile cascade, both ways round), besides frontal ones.</summary>
    public bool ProfileFaces { get; set; } = true;
}
