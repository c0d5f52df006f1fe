using Enforcement.Media.Player.Exports;

namespace Enforcement.Media.Tests.Player.Records;

/// <summary>A recording's own name is data, never a path: inside a package every path is plain, relative ASCII.</summary>
public sealed class PackagePathsTests
{
    [Theory]
    [InlineData("A123456_012345_20261122080000_IMP.mp4", "A123456_012345_20261122080000_IMP.mp4")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\windows\\win.ini", "win.ini")]
    [InlineData("证据 现场检查 (1).MP4", "_________1_.MP4")]
    [InlineData(".hidden", "hidden")]
    [InlineData("..", "original")]
    [InlineData("", "original")]
    [InlineData("视频", "original")]
    [InlineData("a/b/c\u0000d.mov", "c_d.mov")]
    public void Names_are_reduced_to_safe_ascii(string name, string expected)
    {
        var safe = PackagePaths.SafeName(name);

        Assert.Equal(expected, safe);
        Assert.True(PackagePaths.IsSafe($"originals/{safe}"));
    }

    [Fact]
    public void A_long_name_is_cut_keeping_its_extension()
    {
        var safe = PackagePaths.SafeName(new string('a', 500) + ".mp4");

        Assert.Equal(80, safe.Length);
        Assert.EndsWith(".mp4", safe, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("/etc/passwd")]
    [InlineData("originals/../../x")]
    [InlineData("originals//x")]
    [InlineData("originals/./x")]
    [InlineData("a b")]
    [InlineData("")]
    public void Unsafe_paths_are_recognised(string path) => Assert.False(PackagePaths.IsSafe(path));

    [Fact]
    public void An_original_is_named_by_its_order_and_digest()
    {
        var sha256 = new string('a', 64);

        Assert.Equal("originals/007-aaaaaaaaaaaa-clip.mp4", PackagePaths.Original(7, sha256, "x/../clip.mp4"));
    }
}
