using OpenCvSharp;

namespace Enforcement.Media.Ingest.Media.Suggestions;

/// <summary>
/// The cascade files the face detector uses, as shipped by Debian's <c>opencv-data</c> under
/// <see cref="SuggestionOptions.CascadeFolder"/>. Checked and loaded for each run: a missing or unreadable
/// file is a reason for the run to fail, never a cue to fetch one.
/// </summary>
public sealed class FaceCascades(SuggestionOptions options)
{
    public const string Frontal = "haarcascades/haarcascade_frontalface_default.xml";

    public const string Profile = "haarcascades/haarcascade_profileface.xml";

    public IReadOnlyList<string> Files => options.ProfileFaces ? [Frontal, Profile] : [Frontal];

    /// <summary>What the run records as its detector: the library's version and the cascade files.</summary>
    public string Describe() =>
        $"opencv {Cv2.GetVersionString()} {string.Join(" + ", Files.Select(Path.GetFileName))}{(options.ProfileFaces ? " (both ways round)" : string.Empty)}";

    /// <summary>Loads the detector; throws <see cref="SuggestionFailedException"/> naming a file that is missing or not a cascade.</summary>
    public FaceDetector Load()
    {
        var frontal = Classifier(Frontal);
        try
        {
            return new FaceDetector(frontal, options.ProfileFaces ? Classifier(Profile) : null);
        }
        catch
        {
            frontal.Dispose();
            throw;
        }
    }

    private CascadeClassifier Classifier(string file)
    {
        var path = Path.Combine(options.CascadeFolder, file);
        if (!File.Exists(path))
        {
            throw new SuggestionFailedException(
                $"The cascade file {path} is missing: install Debian's opencv-data package or set {SuggestionOptions.Section}:{nameof(SuggestionOptions.CascadeFolder)} to the folder that holds {file}.");
        }

        var classifier = new CascadeClassifier();
        try
        {
            if (classifier.Load(path) && !classifier.Empty())
            {
                return classifier;
            }
        }
        catch (OpenCVException)
        {
            // Reported below, as for a file that loads as nothing.
        }

        classifier.Dispose();
        throw new SuggestionFailedException($"The cascade file {path} could not be read as an OpenCV cascade.");
    }
}
