using System.Security.Cryptography;
using Enforcement.Media.Ingest.Media.Redactions;
using Enforcement.Media.Ingest.Media.Tools;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Objects;
using Enforcement.Media.Storage.Redactions;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Ingest.Media;

namespace Enforcement.Media.Tests.Ingest.Redactions;

/// <summary>
/// A redacted output as evidence: the same spec gives the same bytes, its provenance says exactly how it
/// was made (and running that again gives the same bytes), it is sealed at least as long as its original,
/// and nothing of the original's metadata — its GPS position above all — is in it.
/// </summary>
public sealed class RedactionProvenanceTests(CatalogueFixture catalogue) : RedactionTestBase(catalogue), IClassFixture<CatalogueFixture>
{
    [Fact]
    public async Task The_same_spec_renders_the_same_bytes_recorded_as_made_from_the_original_without_its_metadata()
    {
        var (recordingId, _) = await MovingPatchAsync(3, "-metadata", "location=+39.9042+116.4074/", "-metadata", "creation_time=2026-11-22T08:00:00Z");
        Assert.NotNull((await Harness.Probes.FindAsync(recordingId, Token))!.Probe.Location);
        var recording = (await Harness.Probes.FindOriginalAsync(recordingId, Token))!;
        var spec = new RedactionSpec([Following(RedactionRegion.Ellipse, 0.5, 2.5)], [new TimeRange(2.6, 2.9)], [new AudioRedaction(1, 1.5, AudioRedaction.Bleep)]);

        var first = await Redactions.RenderAsync(recordingId, spec);
        var second = await Redactions.RenderAsync(recordingId, spec);

        Assert.Equal(first.Output!.Sha256, second.Output!.Sha256);
        var derivation = Assert.Single(await Harness.Derivations.ListForRedactionAsync(first.Id, Token));
        Assert.True(derivation.Succeeded);
        Assert.Equal((DerivationRole.Redacted, first.Id, (Guid?)null, first.Output.ObjectId), (derivation.Role, derivation.RedactionId, derivation.InputObjectId, derivation.ObjectId));
        Assert.Equal((recording.Sha256, first.Output.Sha256), (derivation.InputSha256, derivation.OutputSha256!.Value.Hex));
        Assert.Equal(("ffmpeg", await Harness.Runner.GetVersionAsync(MediaTool.Ffmpeg, Token)), (derivation.Tool, derivation.ToolVersion));
        Assert.Contains($"original:sha256:{recording.Sha256.Hex}", derivation.Arguments);
        Assert.Equal("redacted.mp4", derivation.Arguments[^1]);
        Assert.Contains("-filter_complex", derivation.Arguments);
        Assert.DoesNotContain(derivation.Arguments, a => a.Contains("127.0.0.1", StringComparison.Ordinal) || a.Contains(Folder.Path, StringComparison.Ordinal));
        Assert.Equal(
            ("redacted", recordingId),
            Assert.Single(await Harness.QueryAsync<(string, Guid)>("SELECT kind, recording_id FROM stored_objects WHERE id = @ObjectId", new { first.Output.ObjectId })));
        Assert.Contains("recording.derivative-made", await Harness.AuditActionsAsync(recordingId));

        var location = await Harness.QueryAsync<(string, string?)>("SELECT object_key, version_id FROM stored_objects WHERE id = @ObjectId", new { first.Output.ObjectId }) is [var (key, version)]
            ? new ObjectRef(key, version)
            : throw new InvalidOperationException("no output object");
        var originalLock = await Store.GetRetentionAsync(recording.Location, Token);
        var outputLock = await Store.GetRetentionAsync(location, Token);
        Assert.True(outputLock.RetainUntil >= originalLock.RetainUntil && outputLock.RetainUntil >= recording.RetainUntil);
        Assert.Equal(ObjectRetention.Compliance, outputLock.Mode);

        var output = await DownloadAsync(first.Output);
        var tags = await Decoded.TagsAsync(output, Token);
        Assert.DoesNotContain(tags, t => t.Contains("location", StringComparison.OrdinalIgnoreCase) || t.Contains("creation_time", StringComparison.Ordinal)
            || t.Contains("comment", StringComparison.Ordinal) || t.Contains("39.9042", StringComparison.Ordinal));
        Assert.All(tags, t => Assert.Matches(@"^(format\.tags\.(major_brand|minor_version|compatible_brands)|streams\.stream\.\d\.tags\.(language|handler_name|vendor_id|encoder))=", t));
        Assert.DoesNotContain(tags, t => t.Contains("Lavc5", StringComparison.Ordinal) || t.Contains("Lavf", StringComparison.Ordinal));

        // What someone checking the output would do: run the recorded arguments on the original.
        var original = await Harness.DownloadAsync(recording.Location, Folder.Combine("original-copy.mp4"));
        var again = Folder.Combine("again.mp4");
        await Footage.FfmpegAsync(Token, [.. derivation.Arguments.Select(a => a == $"original:sha256:{recording.Sha256.Hex}" ? original : a == "redacted.mp4" ? again : a)]);
        Assert.Equal(first.Output.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(again, Token))));
    }

    [Fact]
    public async Task A_spec_at_the_limits_renders_in_bounded_time_its_long_graph_recorded_as_text()
    {
        var path = Folder.Combine("limits.mp4");
        await Footage.H264AacAsync(path, Token, seconds: 2);
        var recordingId = (await Harness.IngestAndProbeAsync(path)).RecordingId;

        // A hundred regions of 36 key positions each, moving and changing size: the largest spec a
        // reviewer can send in regions, with sizes that split each region into several runs.
        var regions = Enumerable.Range(0, RedactionLimits.MaxRegions).Select(r => new RedactionRegion(
            r % 2 == 0 ? RedactionRegion.Rectangle : RedactionRegion.Ellipse,
            [.. Enumerable.Range(0, 36).Select(k => new RegionKeyframe(
                k * 0.055, 0.01 * (r % 10) + (0.004 * k), 0.01 * (r / 10) + (0.002 * k), 0.05 + (0.03 * (k % 3)), 0.06 + (0.02 * (k % 2))))])).ToList();
        var spec = new RedactionSpec(regions, [new TimeRange(1.8, 1.9)], [new AudioRedaction(0.5, 0.7, AudioRedaction.Mute)]);
        var probe = (await Harness.Probes.FindAsync(recordingId, Token))!.Probe;
        var graph = RedactionFilterGraph.Build(spec, RedactionSource.Of(probe));
        Assert.True(graph.Text.Length > RedactionArguments.InlineGraphLimit, $"the graph is {graph.Text.Length} characters");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var redaction = await Redactions.RenderAsync(recordingId, spec);

        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(3), $"rendering took {watch.Elapsed}");
        Assert.Equal(RedactionState.Ready, redaction.State);
        var arguments = Assert.Single(await Harness.Derivations.ListForRedactionAsync(redaction.Id, Token)).Arguments;
        Assert.DoesNotContain("-filter_complex_script", arguments);
        Assert.Equal(graph.Text, arguments[arguments.ToList().IndexOf("-filter_complex") + 1]);

        // The recorded graph is too long for one argument on Linux: rerun it from a file, as the job did.
        var recording = (await Harness.Probes.FindOriginalAsync(recordingId, Token))!;
        var original = await Harness.DownloadAsync(recording.Location, Folder.Combine("limits-original.mp4"));
        var script = Folder.Combine("graph.txt");
        await File.WriteAllTextAsync(script, graph.Text, Token);
        var again = Folder.Combine("limits-again.mp4");
        await Footage.FfmpegAsync(
            Token,
            [.. arguments.Select(a => a == $"original:sha256:{recording.Sha256.Hex}" ? original : a == "redacted.mp4" ? again : a == "-filter_complex" ? "-filter_complex_script" : a == graph.Text ? script : a)]);
        Assert.Equal(redaction.Output!.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(again, Token))));
    }
}
