using Enforcement.Media.Ingest.Media;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Media;

namespace Enforcement.Media.Tests.Ingest.Redactions;

/// <summary>
/// Publication copies: the redacted output with the watermark burned in — visible in two corners, the
/// rest of the picture and the sound as they were — recorded as made from the redacted output.
/// </summary>
public sealed class PublicationRenderTests(CatalogueFixture catalogue) : RedactionTestBase(catalogue), IClassFixture<CatalogueFixture>
{
    private const int W = RedactionFootage.Width;
    private const int H = RedactionFootage.Height;

    /// <summary>Everything the filter graph treats specially, and CJK.</summary>
    private const string Text = @"公示 O'Brien: 50% %{pts} [x], y; \z";

    [Fact]
    public async Task The_copy_carries_the_watermark_in_two_corners_and_is_recorded_as_made_from_the_redacted_output()
    {
        var (recordingId, _) = await MovingPatchAsync(3, "-metadata", "location=+39.9042+116.4074/");
        var redaction = await Redactions.RenderAsync(recordingId, Regions(Following(RedactionRegion.Rectangle, 0.5, 2.5)));

        var publication = await Redactions.PublishAsync(redaction, Text);

        Assert.Equal("ready", publication.RenderState);
        var objectId = await Harness.ScalarAsync<Guid>("SELECT object_id FROM publications WHERE id = @Id", new { publication.Id });
        var input = await DownloadAsync(redaction.Output!);
        var copy = await DownloadAsync(objectId, ".mp4");
        var probe = await OutputProbe.ReadAsync(copy, Token);
        Assert.Equal(("h264", "aac", W, H), (probe.VideoCodec, probe.AudioCodec, probe.Width, probe.Height));
        foreach (var t in new[] { 0.52, 1.52, 2.52 })
        {
            var before = await Decoded.FrameAsync(input, t, W, H, Token);
            var after = await Decoded.FrameAsync(copy, t, W, H, Token);
            Assert.True(after.MeanDifference(before, new PixelBox(4, 4, 150, 20).Contains) > 5, $"the watermark shows top left at {t} s");
            Assert.True(after.MeanDifference(before, new PixelBox(W - 154, H - 24, 150, 20).Contains) > 5, $"the watermark shows bottom right at {t} s");
            Assert.True(after.MeanDifference(before, new PixelBox(40, 60, 240, 120).Contains) < 2.5, $"the middle is as it was at {t} s");
        }

        Assert.Equal(await AudioPacketsAsync(input), await AudioPacketsAsync(copy));
        Assert.DoesNotContain(await Decoded.TagsAsync(copy, Token), t => t.Contains("location", StringComparison.Ordinal) || t.Contains("comment", StringComparison.Ordinal));

        var derivation = Assert.Single(await Harness.Derivations.ListForRedactionAsync(redaction.Id, Token), d => d.Role == DerivationRole.Publication);
        Assert.True(derivation.Succeeded);
        Assert.Equal((objectId, redaction.Output!.ObjectId, redaction.Output.Sha256, redaction.Id), (derivation.ObjectId!.Value, derivation.InputObjectId!.Value, derivation.InputSha256.Hex, derivation.RedactionId!.Value));
        Assert.Contains($"redacted:sha256:{redaction.Output.Sha256}", derivation.Arguments);
        Assert.Contains("expansion=none", string.Join(' ', derivation.Arguments), StringComparison.Ordinal);
        Assert.Equal("redacted", await Harness.ScalarAsync<string>("SELECT kind FROM stored_objects WHERE id = @objectId", new { objectId }));
    }

    [Fact]
    public async Task A_photo_copy_is_a_jpeg_with_the_watermark()
    {
        var path = Folder.Combine("photo.jpg");
        await RedactionFootage.PhotoAsync(path, Folder.Path, Token);
        var recordingId = (await Harness.IngestAndProbeAsync(path)).RecordingId;
        var redaction = await Redactions.RenderAsync(recordingId, Regions(new RedactionRegion(RedactionRegion.Rectangle, [new RegionKeyframe(0, 0.2, 0.2, 0.2, 0.2)])));

        var publication = await Redactions.PublishAsync(redaction, "公示");

        Assert.Equal("ready", publication.RenderState);
        var copy = await DownloadAsync(await Harness.ScalarAsync<Guid>("SELECT object_id FROM publications WHERE id = @Id", new { publication.Id }), ".jpg");
        var before = await Decoded.FrameAsync(await DownloadAsync(redaction.Output!, ".jpg"), 0, W, H, Token);
        var after = await Decoded.FrameAsync(copy, 0, W, H, Token);
        Assert.True(after.MeanDifference(before, new PixelBox(4, 4, 40, 20).Contains) > 5);
        Assert.True(after.MeanDifference(before, new PixelBox(40, 60, 240, 120).Contains) < 2.5);
    }

    [Fact]
    public async Task A_publication_of_a_redaction_without_output_fails_with_the_reason()
    {
        var path = Folder.Combine("not-media.mp4");
        await File.WriteAllBytesAsync(path, Bytes.Random(10_000, seed: 43), Token);
        var recordingId = (await Harness.IngestAndProbeAsync(path)).RecordingId;
        var redaction = await Redactions.RenderAsync(recordingId, Regions(new RedactionRegion(RedactionRegion.Rectangle, [new RegionKeyframe(0, 0.2, 0.2, 0.2, 0.2)])));
        Assert.Equal(RedactionState.Failed, redaction.State);

        var publication = await Redactions.PublishAsync(redaction, "公示");

        Assert.Equal("failed", publication.RenderState);
        Assert.Equal(
            "The redaction has no rendered output to publish (it is failed).",
            await Harness.ScalarAsync<string>("SELECT render_failure FROM publications WHERE id = @Id", new { publication.Id }));
    }

    [Fact]
    public async Task A_missing_font_fails_the_copy_naming_the_package_and_the_setting()
    {
        var (recordingId, _) = await MovingPatchAsync(seconds: 1);
        var redaction = await Redactions.RenderAsync(recordingId, Regions(Following(RedactionRegion.Rectangle, 0.5)));
        await using var media = new MediaHarness(Catalogue, Store, new MediaOptions { WorkFolder = Folder.Combine("work"), WatermarkFont = Folder.Combine("no-such-font.ttc") });

        var publication = await new RedactionHarness(Catalogue, media).PublishAsync(redaction, "公示");

        Assert.Equal("failed", publication.RenderState);
        var failure = await Harness.ScalarAsync<string>("SELECT render_failure FROM publications WHERE id = @Id", new { publication.Id });
        Assert.Contains("fonts-noto-cjk", failure, StringComparison.Ordinal);
        Assert.Contains("Media:WatermarkFont", failure, StringComparison.Ordinal);
    }

    private static async Task<string> AudioPacketsAsync(string path) =>
        System.Text.Encoding.ASCII.GetString(
            await OutputProbe.RunBytesAsync("ffmpeg", Token, "-v", "error", "-i", path, "-map", "0:a:0", "-c", "copy", "-f", "streamhash", "-hash", "sha256", "-")).Trim();
}
