using Enforcement.Media.Ingest.Media.Suggestions;

namespace Enforcement.Media.Tests.Ingest.Suggestions;

/// <summary>What face suggestions need from Debian, present where the default configuration looks for it.</summary>
public sealed class SuggestionPrerequisiteTests
{
    [Fact]
    public void The_cascades_are_where_the_default_configuration_looks_and_load()
    {
        var options = new SuggestionOptions();
        foreach (var file in new FaceCascades(options).Files)
        {
            var path = Path.Combine(options.CascadeFolder, file);
            Assert.True(File.Exists(path), $"{path} is missing: install Debian's opencv-data package (scripts/test.sh and scripts/start.sh do).");
        }

        using var detector = new FaceCascades(options).Load();
    }

    [Fact]
    public void The_face_photograph_the_footage_is_made_from_is_installed() => FaceFootage.Astronaut();
}
