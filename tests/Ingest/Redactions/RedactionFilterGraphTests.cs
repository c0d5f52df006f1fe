using Enforcement.Media.Ingest.Media.Redactions;
using Enforcement.Media.Storage.Media;
using Enforcement.Media.Storage.Redactions;

namespace Enforcement.Media.Tests.Ingest.Redactions;

/// <summary>The filter graph as text: paths in time, the split of regions into covering runs, clamping, and the shape of the whole graph.</summary>
public sealed class RedactionFilterGraphTests
{
    private static readonly RedactionSource Video = new(MediaKind.Video, 0, 1, 640, 360, 10, 25, 48_000, false);

    private static RedactionRegion Rect(params RegionKeyframe[] keys) => new(RedactionRegion.Rectangle, keys);

    [Fact]
    public void A_path_holds_its_first_value_before_the_first_time_moves_linearly_and_holds_the_last()
    {
        Assert.Equal("if(lt(t,3),10+10*max(t-1,0),if(lt(t,5),30-5*(t-3),20))", TimeExpression.Piecewise([(1, 10), (3, 30), (5, 20)]));
        Assert.Equal("12.5", TimeExpression.Piecewise([(1, 12.5), (4, 12.5)]));
        Assert.Equal("if(lt(t,2),7,if(lt(t,3),7+0.333333*(t-2),7.333333))", TimeExpression.Piecewise([(0, 7), (2, 7), (3, 7 + (1 / 3.0))]));
    }

    [Fact]
    public void Ranges_start_a_frame_early_and_an_open_end_runs_to_the_end_of_the_recording()
    {
        Assert.Equal("between(t,0.96,2)+gte(t,4.96)", TimeExpression.Within([(1, 2), (5, double.PositiveInfinity)], 0.04));
    }

    [Fact]
    public void Keys_are_split_into_runs_where_the_size_changes_and_each_run_covers_its_largest_size()
    {
        var region = Rect(
            new RegionKeyframe(0, 0.1, 0.1, 0.10, 0.10),
            new RegionKeyframe(1, 0.2, 0.1, 0.11, 0.10),
            new RegionKeyframe(2, 0.3, 0.1, 0.12, 0.11),
            new RegionKeyframe(3, 0.4, 0.1, 0.20, 0.10),
            new RegionKeyframe(4, 0.5, 0.1, 0.21, 0.10));

        var runs = RegionCover.Runs(region, 640, 360, 1.25);

        Assert.Equal(3, runs.Count);
        Assert.Equal([(0.0, 2.0), (2.0, 3.0), (3.0, 4.0)], runs.Select(r => (r.From, r.To)));
        Assert.Equal([0.0, 1, 2], runs[0].Keys.Select(k => k.T));
        Assert.Equal([2.0, 3], runs[1].Keys.Select(k => k.T));
        Assert.Equal(EvenUp((0.12 * 640) + 4), runs[0].Width);
        Assert.Equal(EvenUp((0.11 * 360) + 4), runs[0].Height);
        Assert.Equal(EvenUp((0.20 * 640) + 4), runs[1].Width);
        Assert.Equal(EvenUp((0.21 * 640) + 4), runs[2].Width);

        // The box is centred on the region's centre.
        var first = runs[0].Keys[0];
        Assert.Equal(((0.1 + 0.05) * 640) - (runs[0].Width / 2.0), first.Left, 6);
    }

    [Fact]
    public void A_region_is_shown_from_its_from_to_its_to_holding_its_end_positions_and_to_the_end_with_one_key()
    {
        var keys = new[] { new RegionKeyframe(2, 0.1, 0.1, 0.1, 0.1), new RegionKeyframe(4, 0.2, 0.1, 0.1, 0.1) };

        var held = Assert.Single(RegionCover.Runs(new RedactionRegion(RedactionRegion.Rectangle, keys, From: 1, To: 6), 640, 360, 1.25));
        var plain = Assert.Single(RegionCover.Runs(Rect(keys), 640, 360, 1.25));
        var still = Assert.Single(RegionCover.Runs(Rect(keys[0]), 640, 360, 1.25));

        Assert.Equal((1.0, 6.0), (held.From, held.To));
        Assert.Equal((2.0, 4.0), (plain.From, plain.To));
        Assert.Equal((2.0, double.PositiveInfinity), (still.From, still.To));
    }

    [Fact]
    public void Long_regions_are_cut_into_runs_of_bounded_depth_that_share_their_boundary_keys()
    {
        var keys = Enumerable.Range(0, 200).Select(k => new RegionKeyframe(k * 0.5, 0.001 * k, 0.1, 0.1, 0.1)).ToArray();

        var runs = RegionCover.Runs(Rect(keys), 640, 360, 1.25);

        Assert.Equal(4, runs.Count);
        Assert.All(runs, r => Assert.InRange(r.Keys.Count, 2, RegionCover.MaxKeysPerRun));
        for (var i = 1; i < runs.Count; i++)
        {
            Assert.Equal(runs[i - 1].Keys[^1].T, runs[i].Keys[0].T);
            Assert.Equal(runs[i - 1].To, runs[i].From);
        }
    }

    [Fact]
    public void Boxes_are_even_never_smaller_than_the_minimum_and_never_larger_than_the_frame()
    {
        var tiny = Assert.Single(RegionCover.Runs(Rect(new RegionKeyframe(0, 0.5, 0.5, 0.001, 0.001)), 640, 360, 1.25));
        var whole = Assert.Single(RegionCover.Runs(Rect(new RegionKeyframe(0, 0, 0, 1, 1)), 640, 360, 1.25));
        var odd = Assert.Single(RegionCover.Runs(Rect(new RegionKeyframe(0, 0.2, 0.2, 0.1, 0.1)), 640, 360, 1.25));

        Assert.Equal((RegionCover.MinimumPixels, RegionCover.MinimumPixels), (tiny.Width, tiny.Height));
        Assert.Equal((640, 360), (whole.Width, whole.Height));
        Assert.Equal((0, 0), (odd.Width % 2, odd.Height % 2));
    }

    [Fact]
    public void An_ellipse_at_the_edge_of_the_frame_is_covered_as_a_rectangle()
    {
        var inside = new RedactionRegion(RedactionRegion.Ellipse, [new RegionKeyframe(0, 0.4, 0.4, 0.2, 0.2)]);
        var atEdge = new RedactionRegion(RedactionRegion.Ellipse, [new RegionKeyframe(0, 0.9, 0.4, 0.1, 0.2)]);

        Assert.True(Assert.Single(RegionCover.Runs(inside, 640, 360, 1.25)).Ellipse);
        Assert.False(Assert.Single(RegionCover.Runs(atEdge, 640, 360, 1.25)).Ellipse);
        Assert.Contains(",format=yuva420p,", RedactionFilterGraph.Build(new RedactionSpec([inside], null, null), Video).Text, StringComparison.Ordinal);
        Assert.DoesNotContain("geq=", RedactionFilterGraph.Build(new RedactionSpec([atEdge], null, null), Video).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RedactionRegion.Rectangle)]
    [InlineData(RedactionRegion.Ellipse)]
    public void At_every_key_the_box_kept_inside_the_frame_and_rounded_to_even_pixels_covers_the_region(string shape)
    {
        var random = new Random(7);
        for (var n = 0; n < 300; n++)
        {
            var keys = Enumerable.Range(0, 5).Select(k =>
            {
                var (w, h) = (0.01 + (random.NextDouble() * 0.5), 0.01 + (random.NextDouble() * 0.5));
                return new RegionKeyframe(k, random.NextDouble() * (1 - w), random.NextDouble() * (1 - h), w, h);
            }).ToArray();
            foreach (var run in RegionCover.Runs(new RedactionRegion(shape, keys), 641 & ~1, 359 & ~1, 1.25))
            {
                foreach (var key in run.Keys)
                {
                    var drawn = keys.Single(k => k.T == key.T);
                    var left = 2 * (int)Math.Floor(Math.Clamp(key.Left, 0, 640 - run.Width) / 2);
                    var top = 2 * (int)Math.Floor(Math.Clamp(key.Top, 0, 358 - run.Height) / 2);
                    Assert.True(left <= drawn.X * 640 && left + run.Width >= (drawn.X + drawn.W) * 640, $"x of {drawn} in a {run.Width} box at {left}");
                    Assert.True(top <= drawn.Y * 358 && top + run.Height >= (drawn.Y + drawn.H) * 358, $"y of {drawn} in a {run.Height} box at {top}");
                }
            }
        }
    }

    [Fact]
    public void Too_many_runs_are_merged_into_larger_boxes_until_they_fit()
    {
        // Every key changes size by half: at the first tolerance each segment would be a run of its own.
        var regions = Enumerable.Range(0, RedactionLimits.MaxRegions).Select(_ => Rect(
            [.. Enumerable.Range(0, 200).Select(k => new RegionKeyframe(k * 0.05, 0.1, 0.1, k % 2 == 0 ? 0.1 : 0.2, 0.1))])).ToList();
        var spec = new RedactionSpec(regions, null, null);

        var runs = RedactionFilterGraph.Runs(spec, Video);

        Assert.InRange(runs.Count, RedactionLimits.MaxRegions, RedactionFilterGraph.MaxBranches);
        Assert.All(runs, r => Assert.True(r.Width >= (0.2 * 640) + 4));
        Assert.Equal(runs.Count, RedactionFilterGraph.Build(spec, Video).Branches);
    }

    [Fact]
    public void The_graph_splits_the_upright_picture_blurs_each_run_while_shown_and_overlays_it_where_it_was_cut()
    {
        var spec = new RedactionSpec(
            [Rect(new RegionKeyframe(1, 0.1, 0.2, 0.1, 0.1), new RegionKeyframe(3, 0.5, 0.2, 0.1, 0.1))],
            [new TimeRange(5, 6)],
            null);

        var graph = RedactionFilterGraph.Build(spec, Video);

        Assert.Equal(("[v]", "0:1", 1), (graph.VideoMap, graph.AudioMap, graph.Branches));
        var chains = graph.Text.Split(";\n");
        Assert.Equal("[0:0]scale=640:360,format=yuv420p,split=2[base][r0]", chains[0]);
        var x = "'2*floor(clip(if(lt(t,3),62+128*max(t-1,0),318),0,572)/2)'";
        Assert.Equal($"[r0]crop=w=68:h=40:x={x}:y=70,boxblur=lr=19:lp=3:cr=9:cp=3:enable='between(t,0.96,3)'[b0]", chains[1]);
        Assert.Equal($"[base][b0]overlay=x={x}:y=70:enable='between(t,0.96,3)'[o0]", chains[2]);
        Assert.Equal("[o0]boxblur=lr=30:lp=2:cr=15:cp=2:enable='between(t,4.96,6)'[v]", chains[3]);
        Assert.Equal(4, chains.Length);
    }

    [Fact]
    public void Photos_need_no_times_and_interlaced_video_is_deinterlaced_first()
    {
        var spec = new RedactionSpec([Rect(new RegionKeyframe(0, 0.1, 0.1, 0.2, 0.2))], null, null);

        var photo = RedactionFilterGraph.Build(spec, new RedactionSource(MediaKind.Photo, 0, null, 640, 480, null, null, null, false));
        var interlaced = RedactionFilterGraph.Build(spec, Video with { Interlaced = true });

        Assert.DoesNotContain("enable", photo.Text, StringComparison.Ordinal);
        Assert.Null(photo.AudioMap);
        Assert.StartsWith("[0:0]yadif=mode=send_frame,scale=640:360", interlaced.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Audio_is_silenced_in_all_its_ranges_and_a_tone_is_added_in_bleeped_ones()
    {
        var spec = new RedactionSpec(null, null, [new AudioRedaction(1, 2, AudioRedaction.Mute), new AudioRedaction(3, 4, AudioRedaction.Bleep)]);

        var graph = RedactionFilterGraph.Build(spec, new RedactionSource(MediaKind.Audio, null, 0, 0, 0, 10, null, 44_100, false));

        Assert.Equal((null, "[a]"), (graph.VideoMap, graph.AudioMap));
        Assert.Equal(
            [
                "[0:0]asetnsamples=n=441:p=0,volume=volume=0:enable='between(t,0.99,2)+between(t,2.99,4)'[muted]",
                "sine=frequency=1000:sample_rate=44100:samples_per_frame=441,volume=volume=0:enable='not(between(t,2.99,4))'[tone]",
                "[muted][tone]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[a]",
            ],
            graph.Text.Split(";\n"));
    }

    [Fact]
    public void Only_muting_needs_no_tone()
    {
        var graph = RedactionFilterGraph.Build(new RedactionSpec(null, null, [new AudioRedaction(1, 2, AudioRedaction.Mute)]), Video);

        Assert.Equal(["[0:0]scale=640:360,format=yuv420p[v]", "[0:1]asetnsamples=n=480:p=0,volume=volume=0:enable='between(t,0.99,2)'[a]"], graph.Text.Split(";\n"));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("if(lt(t,2),1,2)", "'if(lt(t,2),1,2)'")]
    [InlineData("a:b", @"a\\:b")]
    [InlineData("it's", @"it\\\'s")]
    [InlineData(@"back\slash, [x]; y", @"back\\\\slash\, \[x\]\; y")]
    [InlineData(" padded ", @"\\ padded\\\ ")]
    public void Values_are_escaped_for_both_levels_of_the_filter_graph(string raw, string written)
    {
        Assert.Equal(written, FilterText.Value(raw));
    }

    private static int EvenUp(double pixels)
    {
        var side = (int)Math.Ceiling(pixels - 1e-9);
        return side + (side & 1);
    }
}
