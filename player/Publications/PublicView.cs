namespace Enforcement.Media.Player.Publications;

/// <summary>One public request, for the publication access log.</summary>
public sealed record PublicView(Guid PublicationId, DateTime At, string ClientAddress, string UserAgent, string What, long? RangeFrom, long? RangeTo, int Status)
{
    public const string Page = "page";
    public const string Media = "media";
}
