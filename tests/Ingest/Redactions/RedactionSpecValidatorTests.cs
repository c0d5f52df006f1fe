using System.Text.Json;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Redactions;

namespace Enforcement.Media.Tests.Ingest.Redactions;

/// <summary>Hostile and careless specs: each is refused naming the field to fix, before anything is rendered.</summary>
public sealed class RedactionSpecValidatorTests
{
    private static readonly RegionKeyframe Good = new(1, 0.1, 0.1, 0.2, 0.2);

    private static IReadOnlyList<string> Fields(RedactionSpec spec, MediaKind kind = MediaKind.Video, double? duration = 10) =>
        [.. RedactionSpecValidator.Check(spec, kind, duration).Select(p => p.Field)];

    private static RedactionSpec Region(params RegionKeyframe[] keys) => new([new RedactionRegion(RedactionRegion.Rectangle, keys)], null, null);

    [Fact]
    public void A_sound_spec_passes()
    {
        Assert.Empty(Fields(new RedactionSpec(
            [new RedactionRegion(RedactionRegion.Ellipse, [Good, Good with { T = 2, X = 0.8 }], From: 0.5, To: 9)],
            [new TimeRange(0, 10.2)],
            [new AudioRedaction(1, 2, AudioRedaction.Bleep)])));
    }

    [Fact]
    public void An_empty_spec_has_nothing_to_redact()
    {
        Assert.Equal(["regions"], Fields(new RedactionSpec(null, null, null)));
        Assert.Equal(["regions"], Fields(new RedactionSpec([], [], [])));
    }

    [Theory]
    [InlineData(0.9, 0.1, 0.2, 0.2)]
    [InlineData(-0.01, 0.1, 0.2, 0.2)]
    [InlineData(0.1, 0.85, 0.2, 0.2)]
    public void A_region_outside_the_picture_is_refused(double x, double y, double w, double h)
    {
        Assert.Equal(["regions[0].keyframes[0].x"], Fields(Region(new RegionKeyframe(1, x, y, w, h))));
    }

    [Fact]
    public void A_region_drawn_to_the_edge_may_overshoot_by_rounding()
    {
        Assert.Empty(Fields(Region(new RegionKeyframe(1, 0.8, 0.8, 0.2000000001, 0.2))));
    }

    [Theory]
    [InlineData(0, 0.2)]
    [InlineData(0.2, 0)]
    [InlineData(-0.1, 0.2)]
    public void A_region_without_a_size_is_refused(double w, double h)
    {
        Assert.Contains("regions[0].keyframes[0].w", Fields(Region(new RegionKeyframe(1, 0.3, 0.3, w, h))));
    }

    [Fact]
    public void Times_beyond_the_recording_or_before_zero_are_refused()
    {
        Assert.Equal(["regions[0].keyframes[0].t"], Fields(Region(Good with { T = 10.6 })));
        Assert.Empty(Fields(Region(Good with { T = 10.4 })));
        Assert.Equal(["regions[0].keyframes[0].t"], Fields(Region(Good with { T = -1 })));
        Assert.Equal(["audio[0].to"], Fields(new RedactionSpec(null, null, [new AudioRedaction(1, 60, AudioRedaction.Mute)])));
    }

    [Fact]
    public void Ranges_and_regions_run_forwards()
    {
        Assert.Equal(["fullFrame[0].from"], Fields(new RedactionSpec(null, [new TimeRange(5, 2)], null)));
        Assert.Equal(["audio[0].from"], Fields(new RedactionSpec(null, null, [new AudioRedaction(3, 3, AudioRedaction.Mute)])));
        Assert.Equal(["regions[0].from"], Fields(new RedactionSpec([new RedactionRegion(RedactionRegion.Rectangle, [Good], From: 4, To: 2)], null, null)));
    }

    [Fact]
    public void Key_positions_are_in_time_order()
    {
        Assert.Equal(["regions[0].keyframes[1].t"], Fields(Region(Good with { T = 3 }, Good with { T = 2 })));
        Assert.Equal(["regions[0].keyframes[1].t"], Fields(Region(Good with { T = 3 }, Good with { T = 3 })));
    }

    [Fact]
    public void Numbers_that_are_not_finite_are_refused_by_the_parser_or_the_validator()
    {
        // JSON has no NaN or Infinity literal: System.Text.Json refuses them as JavaScript writes them.
        Assert.Throws<JsonException>(() => RedactionSpec.FromJson("""{"regions":[{"shape":"rect","keyframes":[{"t":NaN,"x":0,"y":0,"w":0.1,"h":0.1}]}]}"""));

        // But the web defaults read numbers from strings, "NaN" and "Infinity" included, and a number too
        // large for a double may become infinite: whatever the parser lets through, the validator refuses.
        foreach (var value in new[] { "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e400" })
        {
            RedactionSpec parsed;
            try
            {
                parsed = RedactionSpec.FromJson($$"""{"regions":[{"shape":"rect","keyframes":[{"t":{{value}},"x":0,"y":0,"w":0.1,"h":0.1}]}]}""");
            }
            catch (JsonException)
            {
                continue;
            }

            Assert.Contains("regions[0].keyframes[0]", Fields(parsed));
        }

        // And built in code, where nothing stops them.
        Assert.Equal(["regions[0].keyframes[0]"], Fields(Region(Good with { X = double.NaN })));
        Assert.Equal(["regions[0].keyframes[0]"], Fields(Region(Good with { T = double.PositiveInfinity })));
        Assert.Equal(["audio[0].from"], Fields(new RedactionSpec(null, null, [new AudioRedaction(double.NaN, 2, AudioRedaction.Mute)])));
    }

    [Fact]
    public void Thousands_of_regions_or_key_positions_are_refused_by_count()
    {
        var many = Enumerable.Repeat(new RedactionRegion(RedactionRegion.Rectangle, [Good]), 5000).ToList();
        Assert.Equal(["regions"], Fields(new RedactionSpec(many, null, null)));

        var keys = Enumerable.Range(0, RedactionLimits.MaxKeyframesPerRegion + 1).Select(k => Good with { T = k * 0.001 }).ToArray();
        Assert.Equal(["regions[0].keyframes"], Fields(Region(keys)));

        var regions = Enumerable.Range(0, 6).Select(_ => new RedactionRegion(RedactionRegion.Rectangle, [.. Enumerable.Range(0, 3500).Select(k => Good with { T = k * 0.001 })])).ToList();
        Assert.Equal(["regions"], Fields(new RedactionSpec(regions, null, null)));

        var ranges = Enumerable.Range(0, RedactionLimits.MaxRanges + 1).Select(i => new TimeRange(i * 0.01, (i * 0.01) + 0.005)).ToList();
        Assert.Equal(["fullFrame"], Fields(new RedactionSpec(null, ranges, null)));
    }

    [Fact]
    public void Unknown_shapes_and_modes_are_refused()
    {
        Assert.Equal(["regions[0].shape"], Fields(new RedactionSpec([new RedactionRegion("circle", [Good])], null, null)));
        Assert.Equal(["regions[0].shape"], Fields(new RedactionSpec([new RedactionRegion(null, [Good])], null, null)));
        Assert.Equal(["audio[0].mode"], Fields(new RedactionSpec(null, null, [new AudioRedaction(1, 2, "beep")])));
        Assert.Equal(["regions[0].keyframes"], Fields(new RedactionSpec([new RedactionRegion(RedactionRegion.Rectangle, null)], null, null)));
    }

    [Fact]
    public void What_the_recording_cannot_have_is_refused()
    {
        Assert.Equal(["regions"], Fields(Region(Good), MediaKind.Audio));
        Assert.Equal(["fullFrame"], Fields(new RedactionSpec(null, [new TimeRange(1, 2)], null), MediaKind.Audio));
        Assert.Equal(["audio"], Fields(new RedactionSpec([new RedactionRegion(RedactionRegion.Rectangle, [Good with { T = 0 }])], null, [new AudioRedaction(0, 1, AudioRedaction.Mute)]), MediaKind.Photo, null));
        Assert.Equal(["fullFrame"], Fields(new RedactionSpec(null, [new TimeRange(0, 1)], null), MediaKind.Photo, null));
        Assert.Contains("regions[0].keyframes", Fields(Region(Good with { T = 0 }, Good with { T = 1 }), MediaKind.Photo, null));
    }
}
