using Enforcement.Media.Ingest.Media.Probing;

namespace Enforcement.Media.Tests.Ingest.Media;

public sealed class Iso6709Tests
{
    [Theory]
    [InlineData("+37.7749-122.4194/", 37.7749, -122.4194, null)]
    [InlineData("+31.2304+121.4737+004.000/", 31.2304, 121.4737, 4.0)]
    [InlineData("-33.8688+151.2093-012.5/", -33.8688, 151.2093, -12.5)]
    [InlineData("+39.9042+116.4074", 39.9042, 116.4074, null)]
    [InlineData("+3954.252+11624.444/", 39.9042, 116.40740, null)]
    [InlineData("+395415.12+1162426.64/", 39.904200, 116.407400, null)]
    [InlineData("+40.7128-074.0060+010CRSWGS_84/", 40.7128, -74.006, 10.0)]
    public void Iso6709_points_are_read_in_degrees(string text, double latitude, double longitude, double? altitude)
    {
        var location = Iso6709.Parse(text);

        Assert.Equal(text, location.Iso6709);
        Assert.Equal(latitude, location.Latitude!.Value, 4);
        Assert.Equal(longitude, location.Longitude!.Value, 4);
        Assert.Equal(altitude, location.Altitude);
    }

    [Theory]
    [InlineData("somewhere")]
    [InlineData("+95.0+010.0/")]
    [InlineData("+45.0+190.0/")]
    [InlineData("+4.0+010.0/")]
    [InlineData("")]
    public void Unreadable_locations_keep_their_text_without_coordinates(string text)
    {
        var location = Iso6709.Parse(text);

        Assert.Equal(text, location.Iso6709);
        Assert.Null(location.Latitude);
        Assert.Null(location.Longitude);
    }
}
