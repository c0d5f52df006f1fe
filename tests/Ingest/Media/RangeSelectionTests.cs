using Enforcement.Media.Ingest.Media.Sources;
using Enforcement.Media.Storage.Objects;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>RFC 9110 §14.1.2 / §14.2 byte ranges as the loopback object server resolves them.</summary>
public sealed class RangeSelectionTests
{
    [Theory]
    [InlineData("bytes=0-0", 0, 0)]
    [InlineData("bytes=0-", 0, 999)]
    [InlineData("bytes=100-199", 100, 199)]
    [InlineData("bytes=990-5000", 990, 999)]
    [InlineData("bytes=-1", 999, 999)]
    [InlineData("bytes=-200", 800, 999)]
    [InlineData("bytes=-5000", 0, 999)]
    [InlineData("BYTES=5-6", 5, 6)]
    [InlineData("bytes= 5 - 6 ", 5, 6)]
    [InlineData("bytes=999-", 999, 999)]
    public void A_single_range_is_resolved_against_the_length(string header, long first, long last) =>
        Assert.Equal(new RangeSelection(RangeSelectionKind.Partial, new ByteRange(first, last)), RangeSelection.Parse(header, 1000));

    [Theory]
    [InlineData("bytes=1000-")]
    [InlineData("bytes=1000-1005")]
    [InlineData("bytes=-0")]
    public void A_range_with_no_byte_inside_the_representation_is_unsatisfiable(string header) =>
        Assert.Equal(RangeSelection.Unsatisfiable, RangeSelection.Parse(header, 1000));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("items=0-5")]
    [InlineData("bytes=0-5,10-15")]
    [InlineData("bytes=5-2")]
    [InlineData("bytes=a-b")]
    [InlineData("bytes=-")]
    [InlineData("bytes=5")]
    [InlineData("bytes=99999999999999999999-")]
    [InlineData("bytes=+5-6")]
    public void Anything_not_served_as_one_range_is_answered_with_the_whole_object(string? header) =>
        Assert.Equal(RangeSelection.Whole, RangeSelection.Parse(header, 1000));

    [Theory]
    [InlineData("bytes=0-")]
    [InlineData("bytes=-10")]
    public void An_empty_object_is_served_whole_so_the_reader_meets_an_empty_file_not_an_http_error(string header) =>
        Assert.Equal(RangeSelection.Whole, RangeSelection.Parse(header, 0));
}
