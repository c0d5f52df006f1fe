using System.Buffers.Binary;

namespace Enforcement.Media.Tests.Ingest.Media;

/// <summary>
/// A JPEG as a phone writes a portrait photo: the pixels stored landscape, with an EXIF Orientation
/// saying how to turn them upright. Made with ffmpeg (a black picture with a white block in the stored
/// top-left corner), then an APP1 Exif segment is put after the start-of-image marker by hand (TIFF
/// big-endian, IFD0 with the one tag 0x0112), since no tool on the machine writes EXIF.
/// </summary>
public static class OrientedPhoto
{
    public const int StoredWidth = 320;
    public const int StoredHeight = 200;

    /// <summary>The white block, in stored pixels from the top-left corner.</summary>
    public const int BlockWidth = 100;
    public const int BlockHeight = 50;

    /// <summary>EXIF Orientation 6: the stored picture is shown turned 90° clockwise.</summary>
    public const ushort TurnClockwise = 6;

    public static async Task MakeAsync(string path, ushort orientation, CancellationToken cancellationToken, params string[] extra)
    {
        var plain = path + ".plain.jpg";
        await Footage.FfmpegAsync(
            cancellationToken,
            [
                "-f", "lavfi", "-i", $"color=c=black:s={StoredWidth}x{StoredHeight},drawbox=x=0:y=0:w={BlockWidth}:h={BlockHeight}:color=white:t=fill",
                "-frames:v", "1", .. extra, plain,
            ]);
        var jpeg = await File.ReadAllBytesAsync(plain, cancellationToken);
        File.Delete(plain);
        Assert.True(jpeg[0] == 0xFF && jpeg[1] == 0xD8, "ffmpeg wrote a JPEG");
        await File.WriteAllBytesAsync(path, [.. jpeg[..2], .. ExifSegment(orientation), .. jpeg[2..]], cancellationToken);
    }

    /// <summary>APP1: "Exif\0\0", a TIFF header (MM, 42, IFD0 at 8), one IFD entry (Orientation, SHORT, 1), no next IFD.</summary>
    private static byte[] ExifSegment(ushort orientation)
    {
        var tiff = new byte[8 + 2 + 12 + 4];
        "MM"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(10), 0x0112);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(12), 3);
        BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(14), 1);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(18), orientation);
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return segment;
    }
}
