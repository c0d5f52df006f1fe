using System.Globalization;
using System.Text;
using Enforcement.Media.Ingest.Docks;

namespace Enforcement.Media.Tests.Ingest.Docks;

public sealed class RecorderFileNameTests
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Rows of tests/Fixtures/recorder-file-names.txt: name, serial, officer, recorder time, important, sequence.</summary>
    public static TheoryData<string, string, string, string, string, string> Fixture()
    {
        var data = new TheoryData<string, string, string, string, string, string>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "recorder-file-names.txt"), Encoding.UTF8))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var columns = line.Split('\t');
            Assert.True(columns.Length == 6, $"fixture line needs 6 tab-separated columns: {line}");
            data.Add(columns[0], columns[1], columns[2], columns[3], columns[4], columns[5]);
        }

        return data;
    }

    [Fact]
    public void The_fixture_list_is_found_and_not_trivially_small() =>
        Assert.True(Fixture().Count >= 50, $"only {Fixture().Count} fixture names were read");

    [Theory]
    [MemberData(nameof(Fixture))]
    public void A_recorder_file_name_is_read_as_the_fixture_says(string name, string serial, string officer, string recordedAt, string important, string sequence)
    {
        var parsed = RecorderFileName.Parse(name, China);

        Assert.Equal(name, parsed.Name);
        Assert.Equal(OrNull(serial), parsed.DeviceSerial);
        Assert.Equal(OrNull(officer), parsed.OfficerId);
        if (OrNull(recordedAt) is { } expected)
        {
            var time = DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture);
            Assert.Equal(time, parsed.RecordedAt);
            Assert.Equal(time.Offset, parsed.RecordedAt!.Value.Offset);
        }
        else
        {
            Assert.Null(parsed.RecordedAt);
        }

        Assert.Equal(bool.Parse(important), parsed.Important);
        Assert.Equal(OrNull(sequence), parsed.Sequence);
    }

    [Fact]
    public void The_recorder_time_is_read_in_the_configured_zone_and_kept_as_the_recorder_said()
    {
        var utc = RecorderFileName.Parse("A123456_012345_20261122080000.mp4", TimeZoneInfo.Utc);
        var china = RecorderFileName.Parse("A123456_012345_20261122080000.mp4");

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero), utc.RecordedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero), china.RecordedAt!.Value.ToUniversalTime());
        Assert.Equal(TimeSpan.FromHours(8), china.RecordedAt.Value.Offset);
    }

    [Fact]
    public void A_path_is_reduced_to_its_file_name_so_folders_never_pose_as_fields()
    {
        var parsed = RecorderFileName.Parse("../../B765432_654321_20261122080000/../A123456_012345_20261122080000.mp4", China);

        Assert.Equal("A123456_012345_20261122080000.mp4", parsed.Name);
        Assert.Equal("A123456", parsed.DeviceSerial);
    }

    [Fact]
    public void A_name_of_255_bytes_is_read_without_failing()
    {
        var name = "A123456_012345_20261122080000_" + new string('录', 70) + ".mp4";
        Assert.True(Encoding.UTF8.GetByteCount(name) <= 255);
        var padded = name.Insert(name.Length - 4, new string('x', 255 - Encoding.UTF8.GetByteCount(name)));
        Assert.Equal(255, Encoding.UTF8.GetByteCount(padded));

        var parsed = RecorderFileName.Parse(padded, China);

        Assert.Equal("A123456", parsed.DeviceSerial);
        Assert.Equal("012345", parsed.OfficerId);
        Assert.NotNull(parsed.RecordedAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\n")]
    [InlineData("((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((")]
    [InlineData("_IMP_IMP_IMP_")]
    [InlineData("99999999999999")]
    [InlineData("\u0000\u0001.mp4")]
    public void A_hostile_name_never_throws_and_claims_nothing_it_cannot_read(string name)
    {
        var parsed = RecorderFileName.Parse(name, China);

        Assert.Null(parsed.DeviceSerial);
        Assert.Null(parsed.OfficerId);
        Assert.Null(parsed.RecordedAt);
        Assert.False(parsed.Important);
    }

    [Fact]
    public void A_name_with_a_broken_surrogate_is_read_around_it()
    {
        var parsed = RecorderFileName.Parse("\ud800\ud800\ud800_012345_20261122080000.mp4", China);

        Assert.Null(parsed.DeviceSerial);
        Assert.Equal("012345", parsed.OfficerId);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.FromHours(8)), parsed.RecordedAt);
    }

    [Fact]
    public void A_clock_reading_that_is_no_instant_in_the_zone_is_left_empty()
    {
        // 9999-12-31 23:59:59 at UTC−10 would be after the last representable instant.
        var hawaii = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Honolulu");

        var parsed = RecorderFileName.Parse("A123456_012345_99991231235959.mp4", hawaii);

        Assert.Null(parsed.RecordedAt);
        Assert.Equal("A123456", parsed.DeviceSerial);
    }

    private static string? OrNull(string column) => column == "-" ? null : column;
}
