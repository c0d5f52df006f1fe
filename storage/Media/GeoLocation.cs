namespace Enforcement.Media.Storage.Media;

/// <summary>
/// Where a recording says it was made (ISO 6709, as phones and some recorders tag MP4/MOV). The raw
/// text is always kept; the parsed coordinates are null when it could not be read.
/// </summary>
public sealed record GeoLocation(string Iso6709, double? Latitude, double? Longitude, double? Altitude);
