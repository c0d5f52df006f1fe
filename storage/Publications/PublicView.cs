using Microsoft.AspNetCore.Http;

namespace Enforcement.Media.Storage.Publications;

/// <summary>One public request, for the publication access log.</summary>
public sealed record PublicView(Guid PublicationId, DateTime At, string ClientAddress, string UserAgent, string What, long? RangeFrom, long? RangeTo, int Status)
{
    public const string Page = "page";
    public const string Media = "media";

    /// <summary>A page shown counts towards the publication's view count; media ranges and refusals do not.</summary>
    public bool Counted => What == Page && Status == StatusCodes.Status200OK;
}
