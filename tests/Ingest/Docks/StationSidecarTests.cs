using System.Text;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Ingest.Docks;

/// <summary>The station sidecar format (per file and per folder) as the archive's Delivery sees it.</summary>
public sealed class StationSidecarTests : IDisposable
{
    private const string Name = "A123456_012345_20261122080000.mp4";
    private readonly TempFolder _folder = new();
    private readonly DeliveryReader _reader = new(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));

    private string Footage => _folder.Combine(Name);

    public StationSidecarTests() => File.WriteAllBytes(Footage, [1, 2, 3]);

    public void Dispose() => _folder.Dispose();

    private DescribedDelivery Describe() => _reader.Describe(Footage, SourceKind.Dock, "station:bay01", "dock1", null);

    /// <summary>Encoding.UTF8 writes a byte order mark first, as Windows station software does.</summary>
    private void Write(string name, string json) => File.WriteAllText(_folder.Combine(name), json, Encoding.UTF8);

    [Fact]
    public void Without_sidecars_the_delivery_is_what_the_name_says()
    {
        var described = Describe();

        Assert.Empty(described.Problems);
        Assert.Equal("A123456", described.Delivery.DeviceSerial);
        Assert.Equal("012345", described.Delivery.OfficerId);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero), described.Delivery.RecorderStartedAt);
        Assert.Null(described.Delivery.ClaimedSha256);
        Assert.Equal("video/mp4", described.Delivery.ContentType);
        Assert.Equal(Footage, described.Delivery.OriginalPath);
    }

    [Fact]
    public void A_per_file_sidecar_overrides_what_the_name_says()
    {
        Write(Name + ".json", """
            {
              "sha256": "ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789",
              "md5": "0123456789abcdef0123456789abcdef",
              "deviceSerial": "B7654321",
              "officerId": "654321",
              "unitCode": "110105000000",
              "recorderStartedAt": "2026-11-21T23:59:58Z",
              "clockOffsetSeconds": -42,
              "caseCode": "京朝城管罚字〔2026〕第0123号",
              "important": true
            }
            """);

        var described = Describe();

        Assert.Empty(described.Problems);
        var delivery = described.Delivery;
        Assert.Equal("ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789", delivery.ClaimedSha256);
        Assert.Equal("0123456789abcdef0123456789abcdef", delivery.ClaimedMd5);
        Assert.Equal("B7654321", delivery.DeviceSerial);
        Assert.Equal("654321", delivery.OfficerId);
        Assert.Equal("110105000000", delivery.UnitCode);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 23, 59, 58, TimeSpan.Zero), delivery.RecorderStartedAt);
        Assert.Equal(-42, delivery.RecorderClockOffsetSeconds);
        Assert.Equal("京朝城管罚字〔2026〕第0123号", delivery.CaseCode);
        Assert.True(delivery.Important);
    }

    [Fact]
    public void A_folder_manifest_gives_defaults_and_per_file_entries_and_the_per_file_sidecar_wins_over_both()
    {
        Write("manifest.json", """
            {
              "unitCode": "110105000000",
              "clockOffsetSeconds": 7,
              "caseCode": "folder-case",
              "files": [
                { "name": "A123456_012345_20261122080000.mp4", "sha256": "1111111111111111111111111111111111111111111111111111111111111111", "caseCode": "entry-case" },
                { "name": "another.mp4", "sha256": "2222222222222222222222222222222222222222222222222222222222222222" }
              ]
            }
            """);
        Write(Name + ".json", """{ "caseCode": "file-case" }""");

        var described = Describe();

        Assert.Empty(described.Problems);
        Assert.Equal("1111111111111111111111111111111111111111111111111111111111111111", described.Delivery.ClaimedSha256);
        Assert.Equal("file-case", described.Delivery.CaseCode);
        Assert.Equal("110105000000", described.Delivery.UnitCode);
        Assert.Equal(7, described.Delivery.RecorderClockOffsetSeconds);
    }

    [Fact]
    public void Field_names_are_matched_in_any_case_and_a_time_without_offset_is_utc()
    {
        Write(Name + ".json", """{ "DeviceSerial": "C1111111", "RECORDERSTARTEDAT": "2026-11-22T01:02:03" }""");

        var described = Describe();

        Assert.Empty(described.Problems);
        Assert.Equal("C1111111", described.Delivery.DeviceSerial);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero), described.Delivery.RecorderStartedAt);
    }

    [Theory]
    [InlineData("{ \"sha256\": ")]
    [InlineData("not json at all")]
    [InlineData("\u00ff\u00fe garbage")]
    [InlineData("")]
    public void A_malformed_sidecar_is_reported_with_its_path_and_the_file_keeps_what_its_name_says(string json)
    {
        Write(Name + ".json", json);

        var described = Describe();

        var problem = Assert.Single(described.Problems);
        Assert.Contains(Footage + ".json", problem, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", problem, StringComparison.Ordinal);
        Assert.Equal("A123456", described.Delivery.DeviceSerial);
        Assert.Null(described.Delivery.ClaimedSha256);
    }

    [Fact]
    public void Fields_of_the_wrong_type_are_each_reported_and_skipped_while_the_rest_is_used()
    {
        Write(Name + ".json", """
            {
              "deviceSerial": 1234567,
              "officerId": "654321",
              "important": "yes",
              "clockOffsetSeconds": 1.5,
              "recorderStartedAt": "yesterday",
              "caseCode": ["a", "b"],
              "unitCode": "110105000000",
            }
            """);

        var described = Describe();

        Assert.Equal(5, described.Problems.Count);
        Assert.Contains(described.Problems, p => p.Contains("'deviceSerial' is a number", StringComparison.Ordinal));
        Assert.Contains(described.Problems, p => p.Contains("'important' is text", StringComparison.Ordinal));
        Assert.Contains(described.Problems, p => p.Contains("'clockOffsetSeconds'", StringComparison.Ordinal));
        Assert.Contains(described.Problems, p => p.Contains("'recorderStartedAt' value 'yesterday'", StringComparison.Ordinal));
        Assert.Contains(described.Problems, p => p.Contains("'caseCode' is a list", StringComparison.Ordinal));
        Assert.Equal("A123456", described.Delivery.DeviceSerial);
        Assert.Equal("654321", described.Delivery.OfficerId);
        Assert.Equal("110105000000", described.Delivery.UnitCode);
        Assert.Null(described.Delivery.RecorderClockOffsetSeconds);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero), described.Delivery.RecorderStartedAt);
    }

    [Fact]
    public void A_sidecar_that_is_not_an_object_is_reported()
    {
        Write(Name + ".json", """["sha256", "abc"]""");

        Assert.Contains("not a list", Assert.Single(Describe().Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_manifest_entries_for_one_file_are_both_ignored_because_either_could_be_wrong()
    {
        Write("manifest.json", """
            { "files": [
                { "name": "A123456_012345_20261122080000.mp4", "sha256": "1111111111111111111111111111111111111111111111111111111111111111" },
                { "name": "A123456_012345_20261122080000.mp4", "sha256": "2222222222222222222222222222222222222222222222222222222222222222" } ] }
            """);

        var described = Describe();

        Assert.Contains("2 entries name", Assert.Single(described.Problems), StringComparison.Ordinal);
        Assert.Null(described.Delivery.ClaimedSha256);
    }

    [Fact]
    public void A_hash_at_folder_level_is_ignored_rather_than_applied_to_every_file()
    {
        Write("manifest.json", """{ "sha256": "1111111111111111111111111111111111111111111111111111111111111111", "officerId": "777777" }""");

        var described = Describe();

        Assert.Contains("folder level", Assert.Single(described.Problems), StringComparison.Ordinal);
        Assert.Null(described.Delivery.ClaimedSha256);
        Assert.Equal("777777", described.Delivery.OfficerId);
    }

    [Fact]
    public void An_oversized_sidecar_is_not_read()
    {
        using (var file = File.Create(_folder.Combine(Name + ".json")))
        {
            file.SetLength(StationSidecar.MaxBytes + 1);
        }

        Assert.Contains("larger than a sidecar may be", Assert.Single(Describe().Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_written_with_decomposed_unicode_names_still_finds_its_file()
    {
        var composed = "é录像.mp4".Normalize(NormalizationForm.FormC);
        File.WriteAllBytes(_folder.Combine(composed), [9]);
        Write("manifest.json", $$"""{ "files": [ { "name": "{{composed.Normalize(NormalizationForm.FormD)}}", "caseCode": "found" } ] }""");

        var described = _reader.Describe(_folder.Combine(composed), SourceKind.Command, "user:test", null, null);

        Assert.Empty(described.Problems);
        Assert.Equal("found", described.Delivery.CaseCode);
    }

    [Fact]
    public void Overlong_or_control_character_text_is_refused()
    {
        Write(Name + ".json", $$"""{ "caseCode": "{{new string('x', 300)}}", "officerId": "12\u000734" }""");

        var described = Describe();

        Assert.Equal(2, described.Problems.Count);
        Assert.Null(described.Delivery.CaseCode);
        Assert.Equal("012345", described.Delivery.OfficerId);
    }
}
