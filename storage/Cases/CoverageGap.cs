namespace Enforcement.Media.Storage.Cases;

/// <summary>
/// Part of a full-recording activity's window without footage. <paramref name="DeviceSerial"/> and
/// the file names are set when the gap sits between two consecutive split files of one recorder —
/// exactly the missing file a reviewer must see.
/// </summary>
public sealed record CoverageGap(DateTimeOffset From, DateTimeOffset To, string Reason, string? DeviceSerial = null, string? FileBefore = null, string? FileAfter = null)
{
    public double Seconds => (To - From).TotalSeconds;
}
