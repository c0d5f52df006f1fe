using Enforcement.Media.Storage.Hashing;

namespace Enforcement.Media.Storage.Recordings;

/// <summary>
/// The comparison of what a source claimed (SHA-256 and/or MD5) with what arrived.
/// <see cref="Verified"/> is null when nothing was claimed; <see cref="Mismatch"/> says why the
/// delivery is quarantined.
/// </summary>
internal sealed record ClaimCheck(bool? Verified, string? Mismatch)
{
    public static ClaimCheck Of(Delivery delivery, Sha256Digest actual, byte[]? md5)
    {
        var problems = new List<string>();
        var checkedAny = false;
        if (delivery.ClaimedSha256 is { } claimedSha)
        {
            checkedAny = true;
            if (!Sha256Digest.TryParse(claimedSha, out var claimed))
            {
                problems.Add($"the source's SHA-256 '{claimedSha}' is not a SHA-256 digest; the received bytes hash to {actual.Hex}");
            }
            else if (claimed != actual)
            {
                problems.Add($"the source reported SHA-256 {claimed.Hex} but the received bytes hash to {actual.Hex}");
            }
        }

        if (delivery.ClaimedMd5 is { } claimedMd5 && md5 is not null)
        {
            checkedAny = true;
            var received = Convert.ToHexStringLower(md5);
            if (!string.Equals(claimedMd5.Trim(), received, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"the source reported MD5 {claimedMd5.Trim()} but the received bytes have MD5 {received}");
            }
        }

        return !checkedAny ? new ClaimCheck(null, null)
            : problems.Count == 0 ? new ClaimCheck(true, null)
            : new ClaimCheck(false, string.Join("; ", problems));
    }
}
