using System.Net;
using System.Net.Sockets;

namespace Enforcement.Media.Player.Accounts;

/// <summary>
/// What a sign-in is counted by: the username as typed (trimmed, lower case, at most 64 characters — it
/// may name nobody) and the network it came from: an IPv4 address, or an IPv6 /64 (one subscriber's
/// prefix; counting single IPv6 addresses would let one host make up endless sources).
/// </summary>
public sealed record SignInAttempt(string Username, string Source)
{
    public const int MaxUsernameLength = 64;

    public static SignInAttempt Of(string? username, IPAddress? address)
    {
        var name = (username ?? string.Empty).Trim().ToLowerInvariant();
        return new SignInAttempt(name.Length <= MaxUsernameLength ? name : name[..MaxUsernameLength], SourceOf(address));
    }

    public string SourceKey => $"source:{Source}";

    public string PairKey => $"pair:{Username}|{Source}";

    public string NameKey => $"name:{Username}";

    private static string SourceOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
