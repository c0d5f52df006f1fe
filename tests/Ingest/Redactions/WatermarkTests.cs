using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Ingest.Media.Redactions;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Media;

namespace Enforcement.Media.Tests.Ingest.Redactions;

/// <summary>
/// The watermark's text reaches drawtext exactly as written, whatever it holds: drawn from the escaped
/// filter graph, it gives the same pixels as the same text read from a file, which needs no escaping.
/// </summary>
public sealed class WatermarkTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Font => new MediaOptions().WatermarkFont;

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(@"公示 O'Brien: 50% %{pts} [x], y; \z")]
    [InlineData("it's:a\\'test''")]
    [InlineData(@"\\\'\'\\,,;;[[]]:=")]
    [InlineData("令和 경찰 police ½")]
    public async Task Text_is_drawn_exactly_as_written(string text)
    {
        var file = _folder.Combine($"text-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, text, Token);
        var escaped = Watermark.Filters(text, Font, 320, 240);
        var fromFile = escaped.Replace($"text={FilterText.Value(text)}", $"textfile={FilterText.Value(file)}", StringComparison.Ordinal);
        Assert.NotEqual(escaped, fromFile);

        var drawn = await DrawAsync(escaped);

        Assert.Equal(drawn, await DrawAsync(fromFile));
        Assert.NotEqual(drawn, await DrawAsync(Watermark.Filters(text + "!", Font, 320, 240)));
    }

    [Fact]
    public void Line_breaks_become_spaces_and_long_text_is_made_smaller_to_fit()
    {
        Assert.Equal("a b  c", Watermark.Normalise(" a\nb\r\tc\u0000"[..^1] + "\u0000 "));
        Assert.Equal(240 / 16, Watermark.FontSize("公示", 1920, 240));
        Assert.True(Watermark.FontSize(new string('x', 200), 320, 240) < 240 / 16);
        Assert.True(Watermark.FontSize(new string('公', 30), 1920, 1080) < Watermark.FontSize(new string('x', 30), 1920, 1080));
    }

    private static async Task<string> DrawAsync(string filters) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await OutputProbe.RunBytesAsync(
            "ffmpeg",
            Token,
            "-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=320x240:d=0.04", "-filter_complex", $"[0:v]{filters}[v]", "-map", "[v]", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-")));
}
